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
const MAX_UPWARD = 13;

/** The rule violations in `dir`; with `baseDir`, paths are read from there (a fixture tree with its own `src/`). */
async function violations(dir: string, baseDir?: string): Promise<string[]> {
  const rules = require('../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };
  const out: IReporterOutput = await cruise([dir], { ...rules.options, ...(baseDir ? { baseDir } : {}), validate: true, ruleSet: { forbidden: rules.forbidden } } as never);
  if (typeof out.output === 'string') throw new Error('expected the JSON result');
  return out.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('architecture', () => {
  it('the rules catch a circle (two fixture modules importing each other)', async () => {
    const found = await violations('test/fixtures/architecture');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^no-circular: test\/fixtures\/architecture\/[ab]\.ts → test\/fixtures\/architecture\/[ab]\.ts$/);
  }, 60_000);

  it('the rules catch an upward import (a fixture storage module importing the assembly)', async () => {
    // Stays meaningful when the real code has no upward import left to point at.
    expect(await violations('src', 'test/fixtures/layers')).toEqual(['up-from-storage: src/storage/store.ts → src/app.ts']);
  }, 60_000);

  it('has no import circle, and no more upward imports than the ceiling', async () => {
    const found = await violations('src');
    expect(found.filter((v) => v.startsWith('no-circular'))).toEqual([]);
    const upward = found.filter((v) => v.startsWith('up-from-'));
    // The rules really see the code: today's known upward imports are among them.
    expect(upward).toContain('up-from-web: src/web/server.ts → src/app.ts');
    expect(upward.length, upward.join('\n')).toBeLessThanOrEqual(MAX_UPWARD);
  }, 60_000);
});
