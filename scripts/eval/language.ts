/**
 * Eval section: the language of first messages (`lang`, `lang_evident`), decided as the bot decides
 * it for someone new without a platform hint (`decideLanguage`, src/i18n/decide.ts).
 *
 * Outcomes per message:
 * - answered right: the bot answers in the person's language;
 * - asked, theirs offered: the bot asks with their language among the buttons (or, when nothing can
 *   be told, shows the full picker) — one tap, nothing said in a wrong language;
 * - asked, theirs missing: the buttons miss it (the "other languages" button still reaches it);
 * - wrong, not confident: answered in another language, with the welcome's "change language" button;
 * - wrong, confident: answered in another language as if sure — the outcome to keep at ≤ 2 %.
 * "Right" = answered right + asked with theirs offered. Targets (issue 15): right ≥ 95 %, wrong
 * confident ≤ 2 %.
 */
import { decideLanguage } from '../../src/i18n/decide.js';
import type { EvalCase } from './cases.js';

export const title = 'Language (first messages)';

type Outcome = 'right' | 'askedRight' | 'askedMissing' | 'wrongUnsure' | 'wrongConfident';

export interface LanguageResult {
  c: EvalCase;
  outcome: Outcome;
  said: string;
}

/** The decision for one first message, as an outcome. */
export function judge(c: EvalCase): LanguageResult {
  const d = decideLanguage(c.text, { established: false, fallback: 'en' });
  if (d.ask) return { c, outcome: d.ask.includes(c.lang) ? 'askedRight' : 'askedMissing', said: `ask ${d.ask.join('/')}` };
  // Nothing to tell ("👍", "ok"): the welcome comes with the full language picker.
  if (d.reason === 'none') return { c, outcome: 'askedRight', said: 'picker' };
  if (d.lang === c.lang) return { c, outcome: 'right', said: d.lang };
  return { c, outcome: d.confident ? 'wrongConfident' : 'wrongUnsure', said: `${d.lang}${d.confident ? '!' : '?'}` };
}

export interface LanguageFigures {
  n: number;
  right: number;
  asked: number;
  wrongConfident: number;
  wrongUnsure: number;
  askedMissing: number;
  answeredRight: number;
}

export function figures(results: LanguageResult[]): LanguageFigures {
  const k = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  return {
    n: results.length,
    answeredRight: k('right'),
    right: k('right') + k('askedRight'),
    asked: k('askedRight') + k('askedMissing'),
    askedMissing: k('askedMissing'),
    wrongUnsure: k('wrongUnsure'),
    wrongConfident: k('wrongConfident'),
  };
}

const pct = (a: number, n: number) => (n ? `${((a / n) * 100).toFixed(1)}%` : '—');

export default async function language(cases: EvalCase[]): Promise<string> {
  const first = cases.filter((c) => c.first !== false);
  const results = first.map(judge);
  const all = figures(results);
  const evident = figures(results.filter((r) => r.c.lang_evident));
  const unclear = figures(results.filter((r) => !r.c.lang_evident));
  const lines = [
    `${all.n} first messages (${evident.n} evident, ${unclear.n} not evident from the message alone)`,
    `right: ${all.right}/${all.n} = ${pct(all.right, all.n)}  (answered in their language ${all.answeredRight}, asked with theirs among the buttons ${all.right - all.answeredRight})`,
    `answered confidently in a wrong language: ${all.wrongConfident} = ${pct(all.wrongConfident, all.n)}   not confidently: ${all.wrongUnsure}   asked without theirs: ${all.askedMissing}`,
    `asked: ${all.asked} = ${pct(all.asked, all.n)} (evident messages asked: ${evident.asked} = ${pct(evident.asked, evident.n)})`,
    `evident only: right ${pct(evident.right, evident.n)}, wrong confident ${pct(evident.wrongConfident, evident.n)}`,
    '',
    'lang    n  right  asked  wrong!  wrong?',
  ];
  for (const lang of [...new Set(first.map((c) => c.lang))].sort()) {
    const f = figures(results.filter((r) => r.c.lang === lang));
    lines.push(
      `${lang.padEnd(4)} ${String(f.n).padStart(4)} ${pct(f.right, f.n).padStart(6)} ${String(f.asked).padStart(6)} ${String(f.wrongConfident).padStart(7)} ${String(f.wrongUnsure).padStart(7)}`,
    );
  }
  const misses = results.filter((r) => r.outcome === 'wrongConfident' || r.outcome === 'wrongUnsure' || r.outcome === 'askedMissing');
  if (misses.length && process.env.EVAL_MISSES) {
    lines.push('', 'misses:');
    for (const m of misses) lines.push(`  ${m.c.id} [${m.c.lang}${m.c.lang_evident ? '' : ', not evident'}] → ${m.said}: ${m.c.text}`);
  }
  return lines.join('\n');
}
