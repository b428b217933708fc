/** Eval section: the understanding step's intent, offline (see scripts/eval.ts for the contract). */
import type { EvalCase } from './cases.js';
import { formatIntentFigures, intentFigures } from './intent-report.js';
import { offlineUnderstander } from '../../src/understand/offline.js';

export const title = 'Intents (offline understanding step)';

export default async function intents(cases: EvalCase[]): Promise<string> {
  const understander = await offlineUnderstander();
  const started = performance.now();
  const f = intentFigures(cases, (c) => understander.offline(c.text).intent);
  const ms = (performance.now() - started) / Math.max(1, cases.length);
  return `${formatIntentFigures(f, { misses: process.env.EVAL_MISSES === '1' })}\n\n${ms.toFixed(2)} ms per message`;
}
