/**
 * `node --import tsx scripts/cv-intents.ts [--folds 5] [--plain] [--epochs N --rate R --l2 L --balance B]`: k-fold cross-validation of the
 * offline intent model on the training phrases themselves: each fold is held out, the model trains
 * on the rest (augmented unless `--plain`), and the held-out phrases are read as written and with
 * typos. A larger and harsher check of generalisation than the dev splits when tuning the model.
 */
import { augmentExamples, withTypos } from '../src/understand/augment.js';
import { readWithoutFraming } from '../src/understand/framing.js';
import { LinearIntentModel } from '../src/understand/model.js';
import { loadPhrases } from '../src/understand/phrases.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const folds = Number(arg('folds') ?? 5);
const phrases = loadPhrases();
let seed = 11;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const fold = phrases.map(() => Math.floor(random() * folds));
let right = 0;
let rightTypo = 0;
let rightFramed = 0;
let framedTotal = 0;
const greetings = new Map<string, string[]>();
for (const p of phrases) if (p.intent === 'greeting') greetings.set(p.lang, [...(greetings.get(p.lang) ?? []), p.text]);
const perLang: Record<string, [number, number]> = {};
const started = performance.now();
for (let k = 0; k < folds; k++) {
  const train = phrases.filter((_, i) => fold[i] !== k);
  const test = phrases.filter((_, i) => fold[i] === k);
  const opts = Object.fromEntries(['epochs', 'rate', 'l2', 'balance'].filter((o) => arg(o) !== undefined).map((o) => [o, Number(arg(o))]));
  const model = LinearIntentModel.train(process.argv.includes('--plain') ? train : augmentExamples(train), opts);
  for (const p of test) {
    const ok = model.classify(p.text)[0]!.intent === p.intent;
    if (ok) right++;
    const l = (perLang[p.lang] ??= [0, 0]);
    l[1]++;
    if (ok) l[0]++;
    if (model.classify(withTypos(p.text, random))[0]!.intent === p.intent) rightTypo++;
    // Wrapped in a greeting of the fold's held-out phrases' language, as first messages are.
    const hellos = (greetings.get(p.lang) ?? []).filter((g) => !test.some((t) => t.text === g));
    if (p.intent !== 'greeting' && p.intent !== 'thanks' && hellos.length) {
      framedTotal++;
      const framed = `${hellos[Math.floor(random() * hellos.length)]}, ${p.text}`;
      if (readWithoutFraming((t) => model.classify(t), framed)[0]!.intent === p.intent) rightFramed++;
    }
  }
}
const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}%`;
console.log(
  `${folds}-fold CV on ${phrases.length} phrases: ${pct(right, phrases.length)} as written, ${pct(rightTypo, phrases.length)} with typos, ${pct(rightFramed, framedTotal)} after a greeting (framing left out) (${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
console.log(
  Object.entries(perLang)
    .sort((a, b) => a[1][0] / a[1][1] - b[1][0] / b[1][1])
    .map(([l, [a, n]]) => `${l} ${pct(a, n)}`)
    .join('  '),
);
