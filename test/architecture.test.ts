/**
 * The import rules of `.dependency-cruiser.cjs`, checked on every `npm test`: no circle anywhere, and
 * the imports that run back up a layer never grow (the ceiling comes down as modules get narrow
 * ports; issue #18 aims at 5).
 */
import { createRequire } from 'node:module';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// The ceiling: none left (issue #18 asked for at most 5). Never raise it.
const MAX_UPWARD = 0;

/** The rule violations in `dir`; with `baseDir`, paths are read from there (a fixture tree with its own `src/`). */
async function violations(dir: string, baseDir?: string): Promise<string[]> {
  const rules = require('../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };
  const out: IReporterOutput = await cruise([dir], { ...rules.options, ...(baseDir ? { baseDir } : {}), validate: true, ruleSet: { forbidden: rules.forbidden } } as never);
  if (typeof out.output === 'string') throw new Error('expected the JSON result');
  return out.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

/** The modules the cruiser walked from `dir`. */
async function cruisedModules(dir: string): Promise<string[]> {
  const rules = require('../.dependency-cruiser.cjs') as { options: Record<string, unknown> };
  const out: IReporterOutput = await cruise([dir], { ...rules.options } as never);
  if (typeof out.output === 'string') throw new Error('expected the JSON result');
  return out.output.modules.map((m) => m.source).filter((s) => s.startsWith(`${dir}/`));
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
    // The rules really see the code: the test above shows they report an upward import in a tree laid
    // out like src/; here the modules they walked are the real ones.
    const walked = await cruisedModules('src');
    expect(walked).toEqual(expect.arrayContaining(['src/app.ts', 'src/core/pipeline.ts', 'src/storage/store.ts', 'src/web/server.ts']));
    expect(walked.length).toBeGreaterThan(150);
    expect(upward.length, upward.join('\n')).toBeLessThanOrEqual(MAX_UPWARD);
  }, 60_000);
});
