/**
 * "Delete my data" erases everything personal in every table. The check is generic: it lists every
 * table of the schema and searches every row (as text) for the person's id, channel address and the
 * words they wrote, so tables added by later features are covered without editing this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import type { InboundContent } from '../../src/core/types.js';
import { ERASE_JOB } from '../../src/privacy/feature.js';
import { dbTarget, dbTargetNames, testConfig } from '../helpers.js';

const SECRET_WORDS = 'Zanzibar-Quokka-7781';

describe.each(dbTargetNames())('erasure on %s', (dbName) => {
  let app: App;
  let cleanup: () => Promise<void>;
  let n = 0;
  const send = (address: string, content: InboundContent) =>
    app.bot.handle({ channel: 'web', address, externalId: `e-${++n}`, receivedAt: new Date(), content });

  beforeAll(async () => {
    const t = await dbTarget(dbName);
    cleanup = t.cleanup;
    app = await createApp({ config: testConfig(), db: t.target, embeddedQueue: true });
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  async function everyRowAsText(): Promise<{ table: string; row: string }[]> {
    const tables = await app.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const out: { table: string; row: string }[] = [];
    for (const { table_name } of tables) {
      const rows = await app.db.query<{ r: string }>(`SELECT t::text AS r FROM "${table_name}" t`);
      for (const r of rows) out.push({ table: table_name, row: r.r });
    }
    return out;
  }

  it('shows the privacy notice and the export in the person\'s language', async () => {
    await send('w-priv', { type: 'text', text: 'ciao' });
    const notice = await send('w-priv', { type: 'text', text: 'privacy' });
    expect(notice.replies[0]!.text).toMatch(/Telegram/);
    expect(notice.replies[0]!.choices!.map((c) => c.id)).toEqual(['privacy:export', 'cmd:delete', 'cmd:menu']);
    const exported = await send('w-priv', { type: 'choice', id: 'privacy:export' });
    const person = await app.store.findPerson('web', 'w-priv');
    expect(exported.replies[0]!.text).toContain(person!.id);
  });

  it('erases everything personal, in every table, and keeps anonymous counts', async () => {
    const address = 'w-erase-me-4242';
    await send(address, { type: 'text', text: `hello ${SECRET_WORDS}` });
    await send(address, { type: 'text', text: 'Italiano' });
    await send(address, { type: 'text', text: SECRET_WORDS });
    const person = (await app.store.findPerson('web', address))!;
    await app.store.setConsent(person.id, 'share_card', true);
    // A facilitator takes over: a case, a private note and audit entries name the person.
    await send(address, { type: 'text', text: 'talk to a person' });
    const facilitator = await app.handoff.accounts.create(`erasure-${dbName}@example.org`, 'facilitator', 'not-a-real-hash', null, new Date());
    await app.handoff.accounts.audit(facilitator.id, 'view', person.id, {}, new Date());
    await app.handoff.cases.addNote(person.id, facilitator.id, `note about ${SECRET_WORDS}`, new Date());
    const eventsBefore = (await app.db.query<{ n: string }>(`SELECT count(*) AS n FROM events`))[0]!.n;

    const ask = await send(address, { type: 'text', text: 'delete my data' });
    expect(ask.replies[0]!.choices!.map((c) => c.id)).toEqual(['privacy:erase', 'privacy:keep']);
    const done = await send(address, { type: 'choice', id: 'privacy:erase' });
    expect(done.replies[0]!.text).toMatch(/deleting all your data|cancellando/i);

    const before = (await everyRowAsText()).filter((r) => r.row.includes(person.id) || r.row.includes(address) || r.row.includes(SECRET_WORDS));
    expect(before.length).toBeGreaterThan(0); // sanity: the search finds the person before erasure

    // The erase job is scheduled 10 s later, after the confirmation is sent; run it now.
    const jobs = await app.db.query<{ data: { personId: string } }>(`SELECT data FROM jobs WHERE name = $1`, [ERASE_JOB]);
    expect(jobs.map((j) => j.data.personId)).toContain(person.id);
    await app.store.erasePerson(person.id);

    const left = (await everyRowAsText()).filter((r) => r.row.includes(person.id) || r.row.includes(address) || r.row.includes(SECRET_WORDS));
    expect(left).toEqual([]);
    const eventsAfter = (await app.db.query<{ n: string }>(`SELECT count(*) AS n FROM events`))[0]!.n;
    expect(Number(eventsAfter)).toBeGreaterThanOrEqual(Number(eventsBefore));
    // Writing again starts fresh.
    const again = await send(address, { type: 'text', text: 'hello' });
    expect(again.replies[0]!.text).toMatch(/Hello/);
  });

  it('the erase job runs through the queue within a minute', async () => {
    const address = 'w-erase-queue';
    await send(address, { type: 'text', text: 'hello' });
    const person = (await app.store.findPerson('web', address))!;
    await app.queue.add(ERASE_JOB, { personId: person.id }, { key: `erase-now:${person.id}` });
    await app.start(1);
    await app.queue.drain();
    expect(await app.store.getPerson(person.id)).toBeUndefined();
    expect(await app.store.findPerson('web', address)).toBeUndefined();
  });
});
