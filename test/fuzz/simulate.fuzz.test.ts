/**
 * Fuzzing the simulator input (fast-check): random lines, random JSON values, lines built from the
 * real input keys with random values, and valid lines mutated character by character. Each line
 * gives exactly one output line: replies, or `{ error: "line N: …" }`; it never throws.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator, type OutputLine } from '../../src/cli/simulate.js';
import { testConfig } from '../helpers.js';
import { mutateText } from './mutate.js';
import { fuzzRuns } from './runs.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await Simulator.create({ config: testConfig() });
});
afterAll(async () => {
  await sim?.app.close();
});

/** The contract for one line: an error naming the line, or replies for the user. */
async function check(raw: string): Promise<'ok' | 'error'> {
  const out: OutputLine = await sim.line(raw);
  if ('error' in out) {
    expect(out.error).toMatch(/^line \d+: \S/);
    return 'error';
  }
  expect(typeof out.user).toBe('string');
  expect(typeof out.lang).toBe('string');
  expect(Array.isArray(out.replies)).toBe(true);
  return 'ok';
}

const valid = [
  '{"user":"f1","text":"hello"}',
  '{"user":"f2","choice":"cmd:menu"}',
  '{"user":"f3","text":"I need a desk","channel":"telegram","lang":"ar"}',
  '{"user":"f1","location":{"lat":41.9,"lng":12.5,"label":"Termini"}}',
  '{"user":"f4","voice":true,"channel":"whatsapp"}',
  '{"user":"f5","start":"space_1","channel":"telegram"}',
  '{"user":"f2","text":"help","id":"m-1"}',
];

describe('simulator input fuzzing', () => {
  it('valid lines get replies (the mutations start from working input)', async () => {
    for (const v of valid) expect(await check(v)).toBe('ok');
  });

  it('random text lines: one output line each, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (s) => void (await check(s))),
      fuzzRuns(1000),
    );
  }, 120_000);

  it('random JSON values: one output line each', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (v) => void (await check(JSON.stringify(v)))),
      fuzzRuns(1000),
    );
  }, 120_000);

  it('objects with the real keys and random values: replies or a clear error', async () => {
    const anything = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    const line = fc.record(
      {
        user: fc.oneof(fc.constantFrom('r1', 'r2', 'r3'), anything),
        text: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), anything),
        choice: fc.oneof(fc.constantFrom('cmd:menu', 'cmd:language', 'know:spaces', 'flow:incubation', 'nope:x', 'cmd:delete'), anything),
        location: fc.oneof(fc.record({ lat: fc.double(), lng: fc.double() }), anything),
        voice: fc.oneof(fc.constant(true), anything),
        channel: fc.oneof(fc.constantFrom('web', 'telegram', 'whatsapp', 'sms'), anything),
        lang: fc.oneof(fc.constantFrom('ar', 'fa', 'uk', 'xx', 'zh-Hant'), anything),
        id: anything,
        start: anything,
        now: fc.oneof(fc.constant('2026-11-24T10:00:00Z'), anything),
      },
      { requiredKeys: [] },
    );
    // Also well-typed lines: one content key with a real value, a user, maybe a channel and language.
    const wellTyped = fc
      .tuple(
        fc.constantFrom('r1', 'r2', 'r3', 'r4'),
        fc.oneof(
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).map((text) => ({ text })),
          fc.constantFrom('cmd:menu', 'cmd:language', 'know:spaces', 'flow:incubation', 'nope:x', 'cmd:help').map((choice) => ({ choice })),
          fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lng: fc.double({ min: -180, max: 180, noNaN: true }) }).map((location) => ({ location })),
          fc.constantFrom({ voice: true }, { image: true }, { document: true }, { sticker: true }),
        ),
        fc.constantFrom({}, { channel: 'telegram' }, { channel: 'whatsapp' }, { lang: 'ar' }, { lang: 'uk' }, { lang: 'qq' }),
      )
      .map(([user, content, extra]) => ({ user, ...content, ...extra }));
    const counts = { ok: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(line, wellTyped), async (l) => void counts[await check(JSON.stringify(l))]++),
      fuzzRuns(600),
    );
    expect(counts.ok).toBeGreaterThan(0); // some random lines are valid and get through the bot
    expect(counts.error).toBeGreaterThan(0);
  }, 120_000);

  it('valid lines mutated character by character: one output line each', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...valid), mutateText(), async (v, mutate) => void (await check(mutate(v)))),
      fuzzRuns(800),
    );
  }, 120_000);
});
