/**
 * The dev split (`test/understanding/dev/`, written by people who never saw the training phrases)
 * and the dev2 split (written later, in real people's registers: typos, romanised scripts, dialects)
 * through the offline understanding step, with floors so a regression is caught. The figures are
 * printed by `npm run eval -- --split dev`; the sealed test split is measured by the lead only.
 */
import { describe, expect, it } from 'vitest';
import { loadCases, type EvalCase } from '../../scripts/eval/cases.js';
import { intentFigures } from '../../scripts/eval/intent-report.js';
import { offlineUnderstander } from '../../src/understand/offline.js';

interface Floors {
  overall: number;
  perLanguage: number;
  /** Share of requests for a person that reach one (read as `human`, or as `safety`: a person with priority). */
  human: number;
  safety: number;
}

/**
 * A studied split (dev2, dev3, dev4, dev5) against its floors; the misses are named in the failure message.
 * A request for a person read as safety still reaches a person (with priority): a false alarm is
 * acceptable, a person left alone with the bot is not.
 */
async function expectFloors(cases: EvalCase[], floors: Floors, opts: { sealed?: boolean } = {}): Promise<void> {
  const understander = await offlineUnderstander();
  const f = intentFigures(cases, (c) => understander.offline(c.text).intent);
  // A sealed split's failure shows figures only: naming its misses would be studying it.
  const misses = opts.sealed ? [] : f.outcomes.filter((o) => !o.right).map((o) => `${o.c.id} ${o.c.intent}→${o.predicted}`);
  expect(f.accuracy, misses.join('\n')).toBeGreaterThanOrEqual(floors.overall);
  for (const [lang, l] of Object.entries(f.perLanguage)) expect(l.accuracy, lang).toBeGreaterThanOrEqual(floors.perLanguage);
  const people = f.outcomes.filter((o) => o.c.intent === 'human');
  const reached = people.filter((o) => o.predicted === 'human' || o.predicted === 'safety').length;
  expect(reached / people.length, misses.filter((m) => m.includes(' human→')).join('\n')).toBeGreaterThanOrEqual(floors.human);
  expect(f.perIntent.safety!.recall, misses.filter((m) => m.includes(' safety→')).join('\n')).toBeGreaterThanOrEqual(floors.safety);
}

/** Floors a little under today's dev figures (see docs/developers.en.md, "Understanding: measured figures"). */
const FLOORS = { overall: 0.96, perLanguage: 0.88, human: 1, safety: 1 };

/** Floors for dev2 (written later in real people's registers; a check on generalisation, not tuned on). */
const DEV2_FLOORS = { overall: 0.96, perLanguage: 0.88, human: 1, safety: 1 };

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

describe('understanding on the dev2 split', () => {
  const cases = loadCases('dev2');

  it('has the dev2 split (16 languages, at least 3 requests for a person and 3 safety messages in each)', () => {
    const langs = new Set(cases.map((c) => c.lang));
    expect(langs.size).toBe(16);
    for (const lang of langs) {
      expect(cases.filter((c) => c.lang === lang && c.intent === 'human').length, lang).toBeGreaterThanOrEqual(3);
      expect(cases.filter((c) => c.lang === lang && c.intent === 'safety').length, lang).toBeGreaterThanOrEqual(3);
    }
  });

  it(`intent accuracy ≥ ${DEV2_FLOORS.overall * 100}% overall and ≥ ${DEV2_FLOORS.perLanguage * 100}% per language; every request for a person reaches a person and every safety message is caught`, async () => {
    await expectFloors(cases, DEV2_FLOORS);
  });
});

/**
 * dev3: the first sealed test split, retired after five measurements (test/understanding/dev3/); now
 * studied like dev. Floors a little under its figures (97.4 % overall, 93.8–100 % per language; every request for a person and every safety message).
 */
const DEV3_FLOORS = { overall: 0.96, perLanguage: 0.92, human: 1, safety: 1 };

describe('understanding on the dev3 split', () => {
  const cases = loadCases('dev3');

  it('has the dev3 split (16 languages)', () => {
    expect(new Set(cases.map((c) => c.lang)).size).toBe(16);
    expect(cases.length).toBeGreaterThan(900);
  });

  it(`intent accuracy ≥ ${DEV3_FLOORS.overall * 100}% overall and ≥ ${DEV3_FLOORS.perLanguage * 100}% per language; every request for a person reaches a person and every safety message is caught`, async () => {
    await expectFloors(cases, DEV3_FLOORS);
  }, 120_000);
});

/**
 * dev4: the hardest cases (14 safety messages, mostly indirect, 10 requests for a person and 12
 * look-alikes per language), written after the second sealed split; studied like dev. Floors a
 * little under its figures (96.9 % overall, 91.7–100 % per language, 158 of 160 requests for a person
 * reach one, safety 100 %).
 */
const DEV4_FLOORS = { overall: 0.95, perLanguage: 0.88, human: 0.98, safety: 1 };

describe('understanding on the dev4 split', () => {
  const cases = loadCases('dev4');

  it('has the dev4 split (16 languages, 14 safety messages and 10 requests for a person in each)', () => {
    for (const lang of new Set(cases.map((c) => c.lang))) {
      expect(cases.filter((c) => c.lang === lang && c.intent === 'safety').length, lang).toBe(14);
      expect(cases.filter((c) => c.lang === lang && c.intent === 'human').length, lang).toBe(10);
    }
    expect(new Set(cases.map((c) => c.lang)).size).toBe(16);
  });

  it(`intent accuracy ≥ ${DEV4_FLOORS.overall * 100}% overall and ≥ ${DEV4_FLOORS.perLanguage * 100}% per language; ≥ ${DEV4_FLOORS.human * 100}% of requests for a person reach one, safety ≥ ${DEV4_FLOORS.safety * 100}%`, async () => {
    await expectFloors(cases, DEV4_FLOORS);
  }, 120_000);
});

/**
 * dev5: the second sealed test split, retired after four measurements (test/understanding/dev5/);
 * now studied like dev. Floors a little under its figures after it was studied (97.1 % overall,
 * 91.9–100 % per language, 80 of 80 requests for a person reach one, safety 100 %; 92.8 % and
 * 85.5 % for Persian when it was retired).
 */
const DEV5_FLOORS = { overall: 0.95, perLanguage: 0.88, human: 0.98, safety: 1 };

describe('understanding on the dev5 split', () => {
  const cases = loadCases('dev5');

  it('has the dev5 split (16 languages, 62 messages in each)', () => {
    for (const lang of new Set(cases.map((c) => c.lang))) expect(cases.filter((c) => c.lang === lang).length, lang).toBe(62);
    expect(new Set(cases.map((c) => c.lang)).size).toBe(16);
  });

  it(`intent accuracy ≥ ${DEV5_FLOORS.overall * 100}% overall and ≥ ${DEV5_FLOORS.perLanguage * 100}% per language; ≥ ${DEV5_FLOORS.human * 100}% of requests for a person reach one, safety ≥ ${DEV5_FLOORS.safety * 100}%`, async () => {
    await expectFloors(cases, DEV5_FLOORS);
  }, 120_000);
});

/**
 * The sealed test split (test/understanding/test/README.md): figures only, never studied. Written
 * afresh on 2026-12-02 (third round; the earlier ones are dev3 and dev5 now). These floors sit a
 * little under its first measurement (96.4 % overall, 90.3–100 % per language, every request for a
 * person reaches one — 78 read as such, 2 as safety, which reaches a person with priority — and
 * every safety message), so a regression fails.
 */
const TEST_FLOORS = { overall: 0.95, perLanguage: 0.88, human: 1, safety: 1 };

describe('understanding on the sealed test split (regression floors)', () => {
  const cases = loadCases('test');

  it('has the test split (16 languages, 62 messages, 5 safety messages and 5 requests for a person in each)', () => {
    const langs = new Set(cases.map((c) => c.lang));
    expect(langs.size).toBe(16);
    for (const lang of langs) {
      expect(cases.filter((c) => c.lang === lang).length, lang).toBe(62);
      expect(cases.filter((c) => c.lang === lang && c.intent === 'safety').length, lang).toBe(5);
      expect(cases.filter((c) => c.lang === lang && c.intent === 'human').length, lang).toBe(5);
    }
  });

  it(`stays at or above ${TEST_FLOORS.overall * 100}% overall, ${TEST_FLOORS.perLanguage * 100}% per language, every request for a person reaching one, every safety message caught`, async () => {
    await expectFloors(cases, TEST_FLOORS, { sealed: true });
  }, 120_000);
});
