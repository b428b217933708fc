/**
 * How long the fuzz tests run. `npm test` runs a quarter of the runs with a fixed seed (the same
 * inputs every time, so a failure in CI fails again on a laptop); `npm run fuzz` (`FUZZ=long`) runs
 * every run with a new random seed, which fast-check prints on a failure (replay it with
 * `FUZZ_SEED=<seed>`).
 */
/** True under `FUZZ=long` (`npm run fuzz`): the full number of runs, new inputs each time. */
export const fuzzLong = process.env.FUZZ === 'long';

/** The fixed seed of the short run (any integer; changed only on purpose). */
const shortSeed = 20_261_202;

/**
 * fast-check parameters for a property: `long` runs under `FUZZ=long`, otherwise `short` (a quarter
 * by default) with the fixed seed. `FUZZ_SEED` replays a given seed in either mode.
 */
export function fuzzRuns(long: number, short = Math.ceil(long / 4)): { numRuns: number; seed?: number } {
  const given = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  if (fuzzLong) return { numRuns: long, ...(given !== undefined ? { seed: given } : {}) };
  return { numRuns: short, seed: given ?? shortSeed };
}
