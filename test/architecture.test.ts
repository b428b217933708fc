/**
 * The import rules of `.dependency-cruiser.cjs`, checked on every `npm test`: no circle anywhere, and
 * the imports that run back up a layer never grow (the ceiling comes down as modules get narrow
 * ports; issue #18 aims at 5).
 */
import { createRequire } from 'node:module';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// The ceiling: today's count. Lower it when an upward import goes; never raise it.
const MAX_UPWARD = 5;

async function violations(dir: string): Promise<string[]> {
  const rules = require('../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };
  const out: IReporterOutput = await cruise([dir], { ...rules.options, validate: true, ruleSet: { forbidden: rules.forbidden } } as never);
  if (typeof out.output === 'string') throw new Error('expected the JSON result');
  return out.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('architecture', () => {
  it('the rules catch a circle (two fixture modules importing each other)', async () => {
    const found = await violations('test/fixtures/architecture');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^no-circular: test\/fixtures\/architecture\/[ab]\.ts → test\/fixtures\/architecture\/[ab]\.ts$/);
  }, 60_000);

  it('has no import circle, and no more upward imports than the ceiling', async () => {
    const found = await violations('src');
    expect(found.filter((v) => v.startsWith('no-circular'))).toEqual([]);
    const upward = found.filter((v) => v.startsWith('up-from-'));
    // The rules really see the code: one of today's known upward imports is among them (when this
    // one goes, the check moves to one that is left).
    expect(upward).toContain('up-from-platform: src/core/pipeline.ts → src/understand/understand.ts');
    expect(upward.length, upward.join('\n')).toBeLessThanOrEqual(MAX_UPWARD);
  }, 60_000);
});
