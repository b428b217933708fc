/** The handoff writes the anonymous events the insights dashboard reads (docs/events.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { actorOf } from '../src/core/pipeline.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';

describe('handoff events for insights', () => {
  let app: App;
  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
  });
  afterAll(async () => app.close());

  it("records claimed and the first reply (once) with the person's actor and language, never the staff member's", async () => {
    const send = (id: string, text: string) => app.bot.handle({ channel: 'web', address: 'w-ev', externalId: id, receivedAt: new Date(), content: { type: 'text', text }, languageHint: 'it' });
    await send('1', 'ciao');
    await send('2', 'operatore');
    const person = (await app.store.findPerson('web', 'w-ev'))!;
    const c = (await app.handoff.cases.openCase(person.id))!;
    const staff = await addAccount(app, 'ev@example.org', 'facilitator');
    expect(await app.handoff.claim(c.id, staff)).toBe(true);
    await app.handoff.reply(app.bot.outbox, c, staff, 'Ciao, sono qui.');
    await app.handoff.reply(app.bot.outbox, c, staff, 'Come posso aiutarti?');
    const rows = await app.db.query<{ type: string; actor: string; lang: string; data: { waitSeconds?: number } }>(
      `SELECT type, actor, lang, data FROM events WHERE type IN ('handoff_claimed', 'handoff_first_reply') ORDER BY id`,
    );
    expect(rows.map((r) => r.type)).toEqual(['handoff_claimed', 'handoff_first_reply']);
    for (const r of rows) {
      expect(r.actor).toBe(actorOf(person.id));
      expect(r.lang).toBe('it');
    }
    expect(rows[1]!.data.waitSeconds).toBeGreaterThanOrEqual(0);
  });
});
