/**
 * The dev split (`test/understanding/dev/`, written by people who never saw the training phrases)
 * through the offline understanding step, with floors so a regression is caught. The figures are
 * printed by `npm run eval -- --split dev`; the sealed test split is measured by the lead only.
 */
import { describe, expect, it } from 'vitest';
import { loadCases } from '../../scripts/eval/cases.js';
import { intentFigures } from '../../scripts/eval/intent-report.js';
import { offlineUnderstander } from '../../src/understand/offline.js';

/** Floors a little under today's dev figures (see docs/developers.en.md, "Understanding: measured figures"). */
const FLOORS = { overall: 0.9, perLanguage: 0.8, human: 1, safety: 1 };

describe('understanding on the dev split', () => {
  const cases = loadCases('dev');

  it('has the dev split (16 languages)', () => {
    expect(new Set(cases.map((c) => c.lang)).size).toBe(16);
  });

  it(`intent accuracy ≥ ${FLOORS.overall * 100}% overall and ≥ ${FLOORS.perLanguage * 100}% per language; every request for a person and every safety message caught`, async () => {
    const understander = await offlineUnderstander();
    const f = intentFigures(cases, (c) => understander.offline(c.text).intent);
    const misses = f.outcomes.filter((o) => !o.right).map((o) => `${o.c.id} ${o.c.intent}→${o.predicted}`);
    expect(f.accuracy, misses.join('\n')).toBeGreaterThanOrEqual(FLOORS.overall);
    for (const [lang, l] of Object.entries(f.perLanguage)) expect(l.accuracy, lang).toBeGreaterThanOrEqual(FLOORS.perLanguage);
    expect(f.perIntent.human!.recall, misses.filter((m) => m.includes(' human→')).join('\n')).toBe(FLOORS.human);
    expect(f.perIntent.safety!.recall, misses.filter((m) => m.includes(' safety→')).join('\n')).toBe(FLOORS.safety);
  });
});
