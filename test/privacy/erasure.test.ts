/**
 * "Delete my data" erases everything personal in every table. The check is generic: it lists every
 * table of the schema and searches every row (as text) for the person's id, channel address and the
 * words they wrote, so tables added by later features are covered without editing this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { normalizeForMatch } from '../../src/core/text.js';
import type { InboundContent } from '../../src/core/types.js';
import { ERASE_JOB } from '../../src/privacy/feature.js';
import { dbTarget, dbTargetNames, testConfig } from '../helpers.js';

const SECRET_WORDS = 'Zanzibar-Quokka-7781';
/** A name nobody else in the test data has; the person introduces themself in an unanswerable question. */
const NAME = 'Quintilio Zabarella';

describe.each(dbTargetNames())('erasure on %s', (dbName) => {
  let app: App;
  let cleanup: () => Promise<void>;
  let n = 0;
  const send = (address: string, content: InboundContent) => app.bot.handle({ channel: 'web', address, externalId: `e-${++n}`, receivedAt: new Date(), content });

  beforeAll(async () => {
    const t = await dbTarget(dbName);
    cleanup = t.cleanup;
    app = await createApp({ config: testConfig(), db: t.target, embeddedQueue: true });
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  /** Rows naming the person: their id, address, words or name, as written or normalized (lower case, no punctuation). */
  async function rowsAbout(personId: string, address: string): Promise<{ table: string; row: string }[]> {
    const needles = [personId, address, SECRET_WORDS, NAME, 'Zabarella'].map(normalizeForMatch);
    return (await everyRowAsText()).filter((r) => {
      const row = normalizeForMatch(r.row);
      return r.row.includes(personId) || r.row.includes(address) || needles.some((n) => row.includes(n));
    });
  }

  async function everyRowAsText(): Promise<{ table: string; row: string }[]> {
    const tables = await app.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    const out: { table: string; row: string }[] = [];
    for (const { table_name } of tables) {
      const rows = await app.db.query<{ r: string }>(`SELECT t::text AS r FROM "${table_name}" t`);
      for (const r of rows) out.push({ table: table_name, row: r.r });
    }
    return out;
  }

  it("shows the privacy notice and the export in the person's language", async () => {
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
    // Questions without an answer become knowledge gaps: one introduces the person by name.
    await send(address, { type: 'text', text: `My name is ${NAME}, where can I renew a zeppelin licence?` });
    await send(address, { type: 'text', text: `mi chiamo ${NAME} e cerco un corso di apicoltura lunare` });
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

    const before = await rowsAbout(person.id, address);
    expect(before.length).toBeGreaterThan(0); // sanity: the search finds the person before erasure
    expect(before.some((r) => r.table === 'messages' && r.row.includes('Zabarella'))).toBe(true);
    // The gaps were stored with the name already replaced; the person's words are there until erasure.
    const gaps = await app.db.query<{ text_normalized: string }>(`SELECT text_normalized FROM knowledge_gaps`);
    expect(gaps.some((g) => g.text_normalized.includes('zeppelin'))).toBe(true);
    expect(gaps.map((g) => g.text_normalized).join('\n')).not.toMatch(/zabarella|quintilio/);

    // The erase job is scheduled 10 s later, after the confirmation is sent; run it now.
    const jobs = await app.db.query<{ data: { personId: string } }>(`SELECT data FROM jobs WHERE name = $1`, [ERASE_JOB]);
    expect(jobs.map((j) => j.data.personId)).toContain(person.id);
    await app.store.erasePerson(person.id);

    const left = await rowsAbout(person.id, address);
    expect(left).toEqual([]);
    // The gaps only this person asked are gone with them.
    const gapsAfter = await app.db.query<{ text_normalized: string }>(`SELECT text_normalized FROM knowledge_gaps`);
    expect(gapsAfter.map((g) => g.text_normalized).join('\n')).not.toMatch(/zeppelin|apicoltura|zanzibar/);
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
