import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The slowest files, slowest first (December 2026: a quiet machine's figures, then two whole runs on
 * a busy 2-core machine, docs/reference/performance.md). The run ends when the last file ends: a
 * slow file started last keeps one core busy alone. Files that mostly wait on processes
 * they start (backup, docs, simulate, user-cli) are slow in wall-clock time more than in CPU.
 */
const slowFirst = [
  'test/a11y-browser.test.ts',
  'test/docs.test.ts',
  'test/backup.test.ts',
  'test/understanding/dev.test.ts',
  'test/simulate.test.ts',
  'test/broadcast-kill.test.ts',
  'test/broadcast-delivery.test.ts',
  'test/knowledge-trigram.test.ts',
  'test/user-cli.test.ts',
  'test/poster.test.ts',
  'test/transcripts.test.ts',
  'test/start.test.ts',
  'test/queue.contract.test.ts',
  'test/reliability/killed-worker.test.ts',
  'test/crash.test.ts',
  'test/reliability/faults.test.ts',
  'test/upgrade.test.ts',
  'test/translations-cli.test.ts',
  'test/fuzz/content-import.fuzz.test.ts',
];

/**
 * Vitest starts the files it has timings for longest first, but a clean clone (CI) has none and
 * starts the largest files first, which puts short files full of slow tests (transcripts) last. The
 * known slow files go first in any case; the rest keep Vitest's order.
 */
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = slowFirst.indexOf(relative(f.project.config.root, f.moduleId).replaceAll('\\', '/'));
      return i < 0 ? slowFirst.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Three workers on the 2-core CI machine: much of a run waits on chromium, PostgreSQL and the
    // processes the tests start, so a third worker fills the cores (whole run on a quiet machine,
    // 2026-12-03: 417 s with two, 358 s with three; largest process 1.7 GB, memory is not the limit).
    pool: 'forks',
    maxWorkers: 3,
    // The worker processes run file after file (no fresh process per file): each file otherwise
    // pays again for loading the sources, compiling PGlite's WebAssembly and reading the intent model
    // (~1.5 s of CPU a file, ~95 files). Nothing here relies on a fresh module: the process-wide
    // caches (src/storage/db.ts, src/understand/understand.ts, src/core/memo.ts) hold only what a
    // fresh process would build the same way, and tests restore what they change (spies, env).
    isolate: false,
    fileParallelism: true,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
