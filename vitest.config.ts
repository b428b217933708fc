import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances are memory-hungry (~400 MB each); two workers fit the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
});
