/**
 * The flow feature shows event times in the configured time zone (TIMEZONE), not in Rome's: the
 * same event, matched at the end of the interview, with the bot set to New York.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../src/cli/simulate.js';
import type { MatchProvider } from '../src/flows/matches.js';
import { testConfig } from './helpers.js';
import { completeInterview } from './interview.js';

describe('flow feature time zone', () => {
  let sim: Simulator;
  const say = async (input: Record<string, unknown>) => {
    const out = await sim.line(JSON.stringify({ user: 'tz1', ...input }));
    if ('error' in out) throw new Error(out.error);
    return out;
  };

  const provider: MatchProvider = {
    spaces: async () => [],
    // 17:30 UTC: 18:30 in Rome, 12:30 in New York.
    events: async () => [{ id: 'e1', title: 'Podcast lab', startsAt: new Date('2026-11-28T17:30:00Z'), spaceName: 'Millepiani' }],
  };
  beforeAll(async () => {
    sim = await Simulator.create({ config: testConfig({ TIMEZONE: 'America/New_York' }), db: { kind: 'memory' }, now: new Date('2026-11-24T18:00:00+01:00'), matches: provider });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('shows the matched event at its New York time when TIMEZONE is America/New_York', async () => {
    const end = await completeInterview(say, 'A podcast about the neighbourhood');
    const texts = 'replies' in end ? end.replies.map((r) => r.text ?? '') : [];
    const line = texts
      .join('\n')
      .split('\n')
      .find((l) => l.includes('Podcast lab'));
    expect(line).toBeDefined();
    expect(line).toContain('12:30');
    expect(line).not.toContain('18:30');
  });
});
