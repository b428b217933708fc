/**
 * Intent figures for a split: accuracy overall, per language and per intent (precision / recall),
 * recall of `human` and `safety`, and the confusion matrix. Shared by the `intents` section, the
 * model comparison (`scripts/compare-intents.ts`) and the dev-split test. Not a section itself.
 */
import type { EvalCase } from './cases.js';

/** One case's outcome. A prediction is right when it is the label or one of `alt_intents`. */
export interface Outcome {
  c: EvalCase;
  predicted: string;
  right: boolean;
}

export interface IntentFigures {
  total: number;
  right: number;
  accuracy: number;
  perLanguage: Record<string, { total: number; right: number; accuracy: number }>;
  perIntent: Record<string, { support: number; predicted: number; truePositive: number; precision: number; recall: number }>;
  /** gold → predicted → count. */
  confusion: Record<string, Record<string, number>>;
  outcomes: Outcome[];
}

export function intentFigures(cases: EvalCase[], predict: (c: EvalCase) => string): IntentFigures {
  const outcomes = cases.map((c) => {
    const predicted = predict(c);
    return { c, predicted, right: predicted === c.intent || (c.alt_intents ?? []).includes(predicted) };
  });
  const perLanguage: IntentFigures['perLanguage'] = {};
  const perIntent: IntentFigures['perIntent'] = {};
  const confusion: IntentFigures['confusion'] = {};
  const intent = (name: string) => (perIntent[name] ??= { support: 0, predicted: 0, truePositive: 0, precision: 0, recall: 0 });
  for (const o of outcomes) {
    const l = (perLanguage[o.c.lang] ??= { total: 0, right: 0, accuracy: 0 });
    l.total++;
    if (o.right) l.right++;
    // An alternative counted as right is credited to the gold label (the reading was acceptable).
    const credited = o.right ? o.c.intent : o.predicted;
    intent(o.c.intent).support++;
    intent(credited).predicted++;
    if (o.right) intent(o.c.intent).truePositive++;
    const row = (confusion[o.c.intent] ??= {});
    row[credited] = (row[credited] ?? 0) + 1;
  }
  for (const l of Object.values(perLanguage)) l.accuracy = l.total ? l.right / l.total : 0;
  for (const i of Object.values(perIntent)) {
    i.precision = i.predicted ? i.truePositive / i.predicted : 0;
    i.recall = i.support ? i.truePositive / i.support : 0;
  }
  const right = outcomes.filter((o) => o.right).length;
  return { total: cases.length, right, accuracy: cases.length ? right / cases.length : 0, perLanguage, perIntent, confusion, outcomes };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The figures as plain text: the summary, the tables, the confusion matrix and (optionally) the misses. */
export function formatIntentFigures(f: IntentFigures, opts: { misses?: boolean } = {}): string {
  const lines: string[] = [];
  const recall = (name: string) => {
    const i = f.perIntent[name];
    return i && i.support ? `${pct(i.recall)} (${i.truePositive}/${i.support})` : 'no cases';
  };
  lines.push(`Intent accuracy: ${pct(f.accuracy)} (${f.right}/${f.total})`);
  lines.push(`Recall of human: ${recall('human')} · recall of safety: ${recall('safety')}`);
  lines.push('', 'Per language:');
  for (const [lang, l] of Object.entries(f.perLanguage).sort()) lines.push(`  ${lang}  ${pad(pct(l.accuracy), 6)}  ${pad(l.right, 3)}/${l.total}`);
  lines.push('', 'Per intent:          support  precision  recall');
  for (const [name, i] of Object.entries(f.perIntent).sort()) {
    if (!i.support && !i.predicted) continue;
    lines.push(`  ${name.padEnd(16)} ${pad(i.support, 7)}  ${pad(pct(i.precision), 9)}  ${pad(pct(i.recall), 6)}`);
  }
  const names = Object.keys(f.perIntent).sort();
  const short = (n: string) => n.replace('privacy_', 'pr_').replace('oos_', 'o_').slice(0, 6);
  lines.push('', 'Confusion matrix (rows: label, columns: predicted):', `  ${''.padEnd(16)}${names.map((n) => pad(short(n), 7)).join('')}`);
  for (const gold of names) {
    const row = f.confusion[gold];
    if (!row) continue;
    lines.push(`  ${gold.padEnd(16)}${names.map((p) => pad(row[p] ? String(row[p]) : '.', 7)).join('')}`);
  }
  if (opts.misses) {
    lines.push('', 'Misses:');
    for (const o of f.outcomes.filter((x) => !x.right)) lines.push(`  ${o.c.id}  ${o.c.intent} → ${o.predicted}  ${JSON.stringify(o.c.text)}`);
  }
  return lines.join('\n');
}
