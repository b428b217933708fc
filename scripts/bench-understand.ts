/**
 * `node --import tsx scripts/bench-understand.ts [--plain]`: trains the offline intent model afresh
 * (augmented, or `--plain` without the generated copies) and prints the intent figures on the dev and
 * dev2 splits side by side, with the training time and the time per message. For tuning the model;
 * `npm run eval` is the report.
 */
import { normalizeForMatch } from '../src/core/text.js';
import { loadCases } from './eval/cases.js';
import { intentFigures } from './eval/intent-report.js';
import { augmentExamples } from '../src/understand/augment.js';
import { LinearIntentModel } from '../src/understand/model.js';
import { offlineUnderstander } from '../src/understand/offline.js';
import { loadPhrases } from '../src/understand/phrases.js';

const phrases = loadPhrases();
const examples = process.argv.includes('--plain') ? phrases : augmentExamples(phrases);
let started = performance.now();
const model = LinearIntentModel.train(examples);
const trainMs = performance.now() - started;
const understander = await offlineUnderstander({ model });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`${phrases.length} phrases → ${examples.length} examples, ${model.size} features, trained in ${(trainMs / 1000).toFixed(1)} s`);
// dev2 was written without looking at the phrases; some short messages came out the same as a phrase.
const known = new Set(phrases.map((p) => normalizeForMatch(p.text)));
const sets = { dev: loadCases('dev'), dev2: loadCases('dev2'), 'dev2 unseen': loadCases('dev2').filter((c) => !known.has(normalizeForMatch(c.text))) };
for (const [split, cases] of Object.entries(sets)) {
  started = performance.now();
  const f = intentFigures(cases, (c) => understander.offline(c.text).intent);
  const ms = (performance.now() - started) / cases.length;
  const r = (n: string) => `${f.perIntent[n]?.truePositive}/${f.perIntent[n]?.support}`;
  const langs = Object.entries(f.perLanguage).sort((a, b) => a[1].accuracy - b[1].accuracy);
  console.log(
    `${split.padEnd(11)} ${pct(f.accuracy)} (${f.right}/${f.total})  human ${r('human')}  safety ${r('safety')}  worst ${langs
      .slice(0, 4)
      .map(([l, x]) => `${l} ${pct(x.accuracy)}`)
      .join(', ')}  ${ms.toFixed(2)} ms/msg`,
  );
  if (process.argv.includes('--misses') && split === 'dev') for (const o of f.outcomes.filter((x) => !x.right)) console.log(`  ${o.c.id} ${o.c.intent} → ${o.predicted}  ${o.c.text}`);
}
