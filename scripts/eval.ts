/**
 * `npm run eval [-- --split dev|dev2|test] [--only NAME] [--misses]`: measures the understanding step on a
 * labelled split (`test/understanding/<split>/*.jsonl`, default `test`) and prints one report per
 * section.
 *
 * **Sections.** Every module in `scripts/eval/` with a default export is a section, run in file-name
 * order. The contract:
 *
 * ```ts
 * // scripts/eval/<name>.ts
 * import type { EvalCase } from './cases.js';
 * export const title = 'Intents';              // optional; defaults to the file name
 * export default async function (cases: EvalCase[]): Promise<string> { … }  // the report, plain text
 * ```
 *
 * A section gets every case of the split (it picks the ones it measures), returns its report as
 * text and never prints by itself; it must not throw for a case it cannot handle (count it as a
 * miss instead). `--misses` sets `EVAL_MISSES=1` for sections that can list what they got wrong.
 * Modules without a default export (`cases.ts`, helpers) are not sections.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCases, splits, type EvalCase, type Split } from './eval/cases.js';

type Section = { default?: (cases: EvalCase[]) => Promise<string>; title?: string };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const split = (arg('split') ?? 'test') as Split;
  if (!splits.includes(split)) {
    console.error(`--split must be one of ${splits.join(', ')} (got "${split}")`);
    return 2;
  }
  if (process.argv.includes('--misses')) {
    // The test split is measured, never studied: reading its misses is how a test set becomes a
    // training set (test/understanding/test/README.md).
    if (split === 'test') {
      console.error('--misses is refused on the test split: it is sealed. Study dev or dev2 instead.');
      return 2;
    }
    process.env.EVAL_MISSES = '1';
  }
  const dir = join('test', 'understanding', split);
  const cases = loadCases(split);
  if (!existsSync(dir) || cases.length === 0) {
    console.log(`No ${split} split here: ${dir}/*.jsonl is ${existsSync(dir) ? 'empty' : 'absent'}.` + (split === 'test' ? ' The test split is sealed: see test/understanding/test/README.md.' : ''));
    return 0;
  }
  console.log(`Split: ${split} — ${cases.length} cases in ${new Set(cases.map((c) => c.lang)).size} languages\n`);
  const only = arg('only');
  const sectionsDir = join(import.meta.dirname, 'eval');
  for (const file of readdirSync(sectionsDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const name = file.replace(/\.ts$/, '');
    if (only && only !== name) continue;
    const mod = (await import(pathToFileURL(join(sectionsDir, file)).href)) as Section;
    if (typeof mod.default !== 'function') continue;
    const started = Date.now();
    const report = await mod.default(cases);
    console.log(`== ${mod.title ?? name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n${report.trimEnd()}\n`);
  }
  return 0;
}

process.exitCode = await main();
