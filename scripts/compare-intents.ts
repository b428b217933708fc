/**
 * `npx tsx scripts/compare-intents.ts [--split dev|test]`: the offline intent model side by side with
 * a maintained library, NLP.js 4 (its neural classifier, with its own tokenizers and stemmers for
 * the languages it knows), trained on the same phrases (`data/intents/`) and measured on the same
 * split. The models alone, without the understanding step's rules (safety lists, command words),
 * so the figures compare the classifiers. NLP.js is a dev dependency, for this comparison only.
 */
import { createRequire } from 'node:module';
import { detectLanguage } from '../src/i18n/detect.js';
import { LinearIntentModel } from '../src/understand/model.js';
import { loadPhrases, type Phrase } from '../src/understand/phrases.js';
import { loadCases, type EvalCase, type Split } from './eval/cases.js';
import { intentFigures, type IntentFigures } from './eval/intent-report.js';

interface NlpJs {
  settings: { autoSave: boolean; nlu?: Record<string, unknown> };
  addLanguage(locales: string | string[]): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<void>;
  process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
}

const require = createRequire(import.meta.url);
/** Languages NLP.js ships a tokenizer and stemmer for (the others get its default tokenizer). */
const nlpjsLanguages = new Set(['it', 'en', 'fr', 'es', 'ar', 'fa', 'bn', 'uk', 'ru', 'zh', 'tl', 'ro']);

async function trainNlpJs(phrases: Phrase[]): Promise<NlpJs> {
  const { containerBootstrap } = require('@nlpjs/core') as { containerBootstrap: () => Promise<{ use(x: unknown): void; get(name: string): unknown }> };
  const { Nlp } = require('@nlpjs/nlp') as { Nlp: unknown };
  const { LangAll } = require('@nlpjs/lang-all') as { LangAll: unknown };
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangAll);
  const nlp = container.get('nlp') as NlpJs;
  nlp.settings.autoSave = false;
  // NLP.js prints its progress and stop-word warnings to the console; keep the report readable.
  const { log, warn } = console;
  console.log = console.warn = () => undefined;
  try {
    nlp.addLanguage([...new Set(phrases.map((p) => localeFor(p.lang)))]);
    for (const p of phrases) nlp.addDocument(localeFor(p.lang), p.text, p.intent);
    await nlp.train();
  } finally {
    Object.assign(console, { log, warn });
  }
  return nlp;
}

/** NLP.js has no Pashto, Urdu, Tigrinya or Somali: those phrases use its English (default) tokenizer. */
function localeFor(lang: string): string {
  return nlpjsLanguages.has(lang) ? lang : 'en';
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function row(name: string, f: IntentFigures, trainMs: number, msPerMessage: number): string {
  const langs = Object.values(f.perLanguage).map((l) => l.accuracy);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `| ${name} | ${pct(f.accuracy)} | ${pct(Math.min(...langs))} | ${pct(f.perIntent.human?.recall ?? 0)} | ${pct(f.perIntent.safety?.recall ?? 0)} | ${(trainMs / 1000).toFixed(1)} s | ${msPerMessage.toFixed(2)} ms |`;
}

async function measure(cases: EvalCase[], predict: (c: EvalCase) => Promise<string> | string): Promise<{ f: IntentFigures; ms: number }> {
  const got = new Map<string, string>();
  const started = performance.now();
  for (const c of cases) got.set(c.id, await predict(c));
  const ms = (performance.now() - started) / cases.length;
  return { f: intentFigures(cases, (c) => got.get(c.id)!), ms };
}

const split = (arg('split') ?? 'dev') as Split;
const cases = loadCases(split);
// `--phrases DIR` trains both on another set of phrases (e.g. an older commit's, not yet tuned on dev).
const phrases = loadPhrases(arg('phrases'));
if (cases.length === 0) {
  console.log(`No ${split} split here (test/understanding/${split}/).`);
} else {
  let t = performance.now();
  const mine = LinearIntentModel.train(phrases);
  const mineTrain = performance.now() - t;
  t = performance.now();
  const nlp = await trainNlpJs(phrases);
  const nlpTrain = performance.now() - t;

  const a = await measure(cases, (c) => mine.classify(c.text)[0]!.intent);
  const b = await measure(cases, async (c) => (await nlp.process(localeFor(detectLanguage(c.text)?.lang ?? 'en'), c.text)).intent);
  const bGold = await measure(cases, async (c) => (await nlp.process(localeFor(c.lang), c.text)).intent);
  const fix = (i: string) => (i === 'None' ? 'other' : i);
  for (const m of [b, bGold]) for (const o of m.f.outcomes) o.predicted = fix(o.predicted);
  const b2 = intentFigures(cases, (c) => b.f.outcomes.find((o) => o.c.id === c.id)!.predicted);
  const bGold2 = intentFigures(cases, (c) => bGold.f.outcomes.find((o) => o.c.id === c.id)!.predicted);

  console.log(`Split: ${split}, ${cases.length} messages, ${phrases.length} training phrases. Models alone (no rules).\n`);
  console.log('| model | accuracy | worst language | human recall | safety recall | training | per message |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  console.log(row(`own: softmax over character n-grams (${mine.size} features)`, a.f, mineTrain, a.ms));
  console.log(row('NLP.js 4.27 (neural), language from the detector', b2, nlpTrain, b.ms));
  console.log(row('NLP.js 4.27 (neural), told the right language', bGold2, nlpTrain, bGold.ms));
  console.log('\nPer language (own / NLP.js with the detector):');
  for (const lang of Object.keys(a.f.perLanguage).sort()) {
    console.log(`  ${lang}  ${(100 * a.f.perLanguage[lang]!.accuracy).toFixed(1)}%  /  ${(100 * b2.perLanguage[lang]!.accuracy).toFixed(1)}%`);
  }
}
