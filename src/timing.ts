/**
 * Start-up timing marks, for finding what the first reply waits for (docs/reference/performance.md,
 * "Start-up"). Off unless `COWORKBOT_TIMING=1`: then each mark writes the milliseconds since the
 * process started and its label to stderr. Costs one property read when off.
 */
const on = process.env.COWORKBOT_TIMING === '1';

/** Notes that start-up reached `label` (stderr, only with `COWORKBOT_TIMING=1`). */
export function mark(label: string): void {
  if (on) process.stderr.write(`coworkbot timing: ${performance.now().toFixed(0).padStart(6)} ms  ${label}\n`);
}
