import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The slowest files, slowest first (seconds on a busy 2-core machine, December 2026). With two
 * workers the run ends when the last file ends: a slow file started last keeps one core busy alone.
 */
const slowFirst = [
  'test/a11y-browser.test.ts',
  'test/transcripts.test.ts',
  'test/docs.test.ts',
  'test/reliability/killed-worker.test.ts',
  'test/upgrade.test.ts',
  'test/broadcast-delivery.test.ts',
  'test/user-cli.test.ts',
  'test/backup.test.ts',
  'test/broadcast-kill.test.ts',
  'test/poster.test.ts',
  'test/knowledge-trigram.test.ts',
  'test/crash.test.ts',
  'test/understanding/dev.test.ts',
  'test/simulate.test.ts',
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
    // PGlite instances are memory-hungry (~400 MB each); two workers fit the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
