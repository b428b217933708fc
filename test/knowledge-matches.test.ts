import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import type { MatchCriteria } from '../src/flows/matches.js';
import { knowledgeMatches } from '../src/knowledge/matches.js';
import { testConfig } from './helpers.js';

describe('matching an interview to the demo spaces and events', () => {
  let app: App;
  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
  });
  afterAll(async () => app.close());

  const base: MatchCriteria = { lang: 'en', needs: [], equipment: [], topics: [], freeTimes: [], supportLevel: 1 };

  it('finds spaces with what the person needs, and only free ones on a zero budget', async () => {
    const m = knowledgeMatches(app.knowledge);
    const spaces = await m.spaces({ ...base, needs: ['equipment'], equipment: ['soundproof'], budget: 'any' });
    expect(spaces.length).toBeGreaterThan(0);
    const first = app.knowledge.space(spaces[0]!.id)!;
    expect(first.services.some((s) => s === 'podcast_studio' || s === 'quiet_room')).toBe(true);

    const free = await m.spaces({ ...base, needs: ['focus', 'people'], budget: 'free' });
    expect(free.length).toBeGreaterThan(0);
    for (const s of free) expect(app.knowledge.space(s.id)!.price).toBe('free');
  });

  it('respects childcare and distance as hard limits', async () => {
    const m = knowledgeMatches(app.knowledge);
    const withKids = await m.spaces({ ...base, needs: ['focus'], childcare: true });
    for (const s of withKids) expect(app.knowledge.space(s.id)!.services).toContain('childcare');
    const near = await m.spaces({ ...base, needs: ['focus', 'people', 'training'], location: { lat: 41.9, lng: 12.5 }, maxKm: 0.01 });
    expect(near).toEqual([]);
  });

  it("finds upcoming events on the person's topics, in the future only", async () => {
    const now = app.clock.now();
    const events = await knowledgeMatches(app.knowledge).events({ ...base, needs: ['italian'] }, now);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.startsAt.getTime()).toBeGreaterThan(now.getTime());
      const topics = app.knowledge.event(e.id)!.topics;
      expect(topics.some((t) => t === 'italian' || t === 'language_exchange')).toBe(true);
    }
  });
});
