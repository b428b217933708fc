/**
 * `npm run eval:language` / `npm run eval:entities` [-- --split dev|dev2|test] [--misses]: runs one eval
 * section of `scripts/eval/` on its own (`npm run eval` runs them all).
 */
import { loadCases, type Split } from './eval/cases.js';

const name = process.argv[2];
const at = process.argv.indexOf('--split');
const split = (at >= 0 ? process.argv[at + 1] : 'dev') as Split;
if (process.argv.includes('--misses')) process.env.EVAL_MISSES = '1';
if (!name) {
  console.error('usage: eval-section.ts <section> [--split dev|dev2|test] [--misses]');
  process.exit(2);
}
const cases = loadCases(split);
if (!cases.length) {
  console.log(`No ${split} split here (test/understanding/${split}/*.jsonl).`);
} else {
  const mod = (await import(`./eval/${name}.ts`)) as { default: (c: typeof cases) => Promise<string>; title?: string };
  console.log(`Split: ${split} — ${cases.length} cases\n== ${mod.title ?? name}\n${(await mod.default(cases)).trimEnd()}`);
}
