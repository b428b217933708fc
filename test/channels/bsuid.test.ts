/**
 * WhatsApp business-scoped user ids (BSUIDs) end to end, through the assembly `coworkbot start`
 * serves: a message with no phone number is answered by BSUID; one person per WhatsApp user across
 * phone and BSUID (linked when both appear, merged when they had become two people); number and BSUID
 * changes as Meta's system messages report them; broadcasts and templates by BSUID; statuses matched;
 * the export lists both identifiers, erasure removes both, and the logs name neither.
 * On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { dbTarget, dbTargetNames } from '../helpers.js';
import { assembledWithFakes, PHONE_ID, type Assembled } from './assembled.js';
import { whatsappBody, whatsappRemapped, type FakeApi } from './fakes.js';
/** The identifiers in the fixtures, replaced by fresh ones in each test. */
const AMINA_PHONE = '393479876543';
const AMINA_BSUID = 'IT.1146279035586609481';
const YUSUF_BSUID = 'IT.2208836412570093317';

describe.each(dbTargetNames())('WhatsApp BSUIDs through the assembly (%s)', (dbName) => {
  let env: Assembled;
  let app: App;
  let graph: FakeApi;
  let cleanup: () => Promise<void>;
  const logs: string[] = [];
  /** Every identifier a test used: none may appear in a log line. */
  const used = new Set<string>();
  let n = 0;
  const bsuid = () => {
    const id = `IT.${String(7_700_000_000_000_000_000n + BigInt(++n) * 7919n)}`;
    used.add(id);
    return id;
  };
  const phone = () => {
    const p = `39340${String(5_000_000 + ++n).padStart(7, '0')}`;
    used.add(p);
    return p;
  };

  beforeAll(async () => {
    const db = await dbTarget(dbName);
    cleanup = db.cleanup;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    env = await assembledWithFakes({ db: db.target, log: createLogger('debug', sink), env: { WHATSAPP_TEMPLATE_NAME: 'event_update' } });
    ({ app, graph } = env);
  });
  afterAll(async () => {
    await env?.close();
    await cleanup?.();
  });

  const settle = () => env.settle();
  const post = async (raw: string) => expect((await env.post('whatsapp', raw)).status).toBe(200);
  /** A text from a person with no phone number in the webhook (only `from_user_id` / `contacts[].user_id`). */
  const fromBsuid = (id: string, text: string, tag: string) =>
    withText(
      whatsappRemapped('bsuid-only-text.json', () => id, tag),
      text,
    );
  /** A text carrying both the phone number and the BSUID. */
  const fromBoth = (p: string, id: string, text: string, tag: string) =>
    withText(
      whatsappRemapped('bsuid-phone-text.json', (old) => (old === AMINA_PHONE ? p : id), tag),
      text,
    );
  const withText = (raw: string, text: string) => {
    const b = JSON.parse(raw);
    b.entry[0].changes[0].value.messages[0].text.body = text;
    return JSON.stringify(b);
  };
  const sendsTo = (id: string) => graph.requests.filter((r) => r.path === `/v24.0/${PHONE_ID}/messages` && (r.body.to === id || r.body.recipient === id));
  const inbound = async (personId: string) => (await app.store.history(personId)).filter((m) => m.direction === 'in');

  it('answers a message that has no phone number, addressed by BSUID, and applies its statuses', async () => {
    const id = bsuid();
    await post(fromBsuid(id, 'hello', 'b1'));
    const person = (await app.store.findPerson('whatsapp', id))!;
    expect(person).toBeDefined();
    const sends = sendsTo(id);
    expect(sends.length).toBeGreaterThan(0);
    for (const s of sends) {
      expect(s.body.to).toBeUndefined();
      expect(s.body.recipient).toBe(id);
      expect(s.body.recipient_type).toBe('individual');
    }
    const out = (await app.store.history(person.id)).filter((m) => m.direction === 'out');
    expect(out.every((m) => m.status === 'sent' && m.externalId?.startsWith('wamid.FAKE'))).toBe(true);

    // Statuses of a send by BSUID carry `recipient_user_id` and no `recipient_id`: matched by message id.
    const status = (file: string, wamid: string) => {
      const b = JSON.parse(whatsappRemapped(file, () => id, 's'));
      b.entry[0].changes[0].value.statuses[0].id = wamid;
      return JSON.stringify(b);
    };
    await post(status('status-bsuid.json', out[0]!.externalId!));
    expect((await app.store.getMessage(out[0]!.id))!.status).toBe('delivered');
    await post(status('status-failed-bsuid.json', out.at(-1)!.externalId!));
    const failed = (await app.store.getMessage(out.at(-1)!.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('131026');
  });

  it('keeps one person and one conversation when the phone number appears later, and then prefers the number', async () => {
    const id = bsuid();
    const p = phone();
    await post(fromBsuid(id, 'hello', 'b2a'));
    const person = (await app.store.findPerson('whatsapp', id))!;
    await post(fromBoth(p, id, 'I am looking for a space', 'b2b'));
    expect((await app.store.findPerson('whatsapp', p))?.id).toBe(person.id);
    expect(await inbound(person.id)).toHaveLength(2);
    expect(await app.store.addressOf(person.id, 'whatsapp')).toBe(p);
    const last = sendsTo(p);
    expect(last.length).toBeGreaterThan(0);
    expect(last.every((s) => s.body.to === p && s.body.recipient === undefined)).toBe(true);
  });

  it('merges the two people a user had become (phone only before, BSUID only after) when one message names both', async () => {
    const p = phone();
    const id = bsuid();
    await post(whatsappBody('text.json', p, 'b3a'));
    const before = (await app.store.findPerson('whatsapp', p))!;
    await post(fromBsuid(id, 'ciao di nuovo', 'b3b'));
    const after = (await app.store.findPerson('whatsapp', id))!;
    expect(after.id).not.toBe(before.id);
    await post(fromBoth(p, id, 'grazie', 'b3c'));
    const one = (await app.store.findPerson('whatsapp', p))!;
    expect((await app.store.findPerson('whatsapp', id))!.id).toBe(one.id);
    // The person seen last is kept, with the other one's history; the other is gone.
    expect(one.id).toBe(after.id);
    expect(await app.store.getPerson(before.id)).toBeUndefined();
    expect(await inbound(one.id)).toHaveLength(3);
    expect(one.createdAt.getTime()).toBe(before.createdAt.getTime());
    const rows = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE person_id = $1`, [one.id]);
    expect(rows[0]!.n).toBe(1);
  });

  it('follows a number change: the new number and BSUID are the same person, the old ones are forgotten', async () => {
    const p = phone();
    const id = bsuid();
    const newPhone = phone();
    const newId = bsuid();
    await post(fromBoth(p, id, 'hello', 'b4a'));
    const person = (await app.store.findPerson('whatsapp', p))!;
    const sendsBefore = graph.requests.length;
    const remap = (old: string) => ({ [AMINA_PHONE]: p, [AMINA_BSUID]: id, '393512223344': newPhone, 'IT.7720934411865520973': newId })[old] ?? old;
    await post(whatsappRemapped('system-number-changed.json', remap, 'b4b'));
    expect(graph.requests.length).toBe(sendsBefore); // a system message is never answered
    expect(await app.store.findPerson('whatsapp', p)).toBeUndefined();
    expect(await app.store.findPerson('whatsapp', id)).toBeUndefined();
    expect((await app.store.findPerson('whatsapp', newPhone))?.id).toBe(person.id);
    expect((await app.store.findPerson('whatsapp', newId))?.id).toBe(person.id);
    await post(fromBoth(newPhone, newId, 'menu', 'b4c'));
    expect(await inbound(person.id)).toHaveLength(2);
    expect(sendsTo(newPhone).length).toBeGreaterThan(0);
  });

  it('follows a BSUID change (user_changed_user_id) for a person known only by BSUID', async () => {
    const id = bsuid();
    const newId = bsuid();
    await post(fromBsuid(id, 'hello', 'b5a'));
    const person = (await app.store.findPerson('whatsapp', id))!;
    await post(whatsappRemapped('system-user-id-changed.json', (old) => (old === YUSUF_BSUID ? id : newId), 'b5b'));
    expect(await app.store.findPerson('whatsapp', id)).toBeUndefined();
    await post(fromBsuid(newId, 'menu', 'b5c'));
    expect((await app.store.findPerson('whatsapp', newId))?.id).toBe(person.id);
    expect(sendsTo(newId).length).toBeGreaterThan(0);
  });

  it('sends a broadcast by BSUID inside the 24-hour window, and the template outside it', async () => {
    const id = bsuid();
    await post(fromBsuid(id, 'hello', 'b6a'));
    const person = (await app.store.findPerson('whatsapp', id))!;
    await app.broadcastStore.follow(person.id, 'all', '', new Date());
    const broadcast = async (text: string) => {
      const b = await app.broadcastStore.createBroadcast({ spaceId: null, createdBy: 'test', audience: { allEvents: true }, messages: { text: { en: text }, title: { en: text } } }, new Date());
      expect(await app.broadcasts.start(b.id)).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 100 && !sendsTo(id).some((r) => JSON.stringify(r.body).includes(text)); i++) {
        await settle();
        await new Promise((r) => setTimeout(r, 50));
      }
      return sendsTo(id).filter((r) => JSON.stringify(r.body).includes(text));
    };
    const inside = await broadcast('Open day on Saturday');
    expect(inside).toHaveLength(1);
    expect(inside[0]!.body.recipient).toBe(id);
    expect(inside[0]!.body.to).toBeUndefined();

    await app.store.touchPerson(person.id, new Date(Date.now() - 25 * 3600_000), true);
    const outside = await broadcast('Workshop moved to Monday');
    expect(outside).toHaveLength(1);
    expect(outside[0]!.body).toMatchObject({ recipient: id, type: 'template', template: { name: 'event_update' } });
    expect(outside[0]!.body.to).toBeUndefined();
  });

  it('lists both identifiers in "my data", and erasure removes both', async () => {
    const p = phone();
    const id = bsuid();
    await post(fromBoth(p, id, 'privacy', 'b7a'));
    const person = (await app.store.findPerson('whatsapp', p))!;
    const tap = JSON.parse(whatsappRemapped('button-reply.json', () => p, 'b7b'));
    tap.entry[0].changes[0].value.messages[0].interactive.button_reply.id = 'privacy:export';
    const before = sendsTo(p).length;
    await post(JSON.stringify(tap));
    const exported = JSON.stringify(
      sendsTo(p)
        .slice(before)
        .map((r) => r.body),
    );
    expect(exported).toContain(p);
    expect(exported).toContain(id);
    expect(await app.store.erasePerson(person.id)).toBe(true);
    const left = await app.db.query(`SELECT 1 FROM channel_addresses WHERE address = ANY($1::text[])`, [[p, id]]);
    expect(left).toHaveLength(0);
  });

  it('never writes a phone number or a BSUID in a log line or a stored error', async () => {
    // A Graph error that names the recipient: the stored error and the log line leave the id out.
    const id = bsuid();
    await post(fromBsuid(id, 'hello', 'b8'));
    const person = (await app.store.findPerson('whatsapp', id))!;
    graph.failWhen((r) => r.body.recipient === id, 400, { error: { message: `(#131026) Message undeliverable to ${id}`, type: 'OAuthException', code: 131026 } });
    const [queued] = await app.bot.outbox.enqueue(person.id, 'whatsapp', [{ text: 'A late answer' }], { at: new Date() });
    await settle();
    const failed = (await app.store.getMessage(queued!.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('131026');
    expect(failed.error).not.toContain(id);
    const all = logs.join('');
    expect(all).toContain('send: failed');
    // The lines that concern these people were written (with their ids redacted or left out).
    expect(all).toContain('whatsapp: a person changed identifiers');
    expect(all).toContain('"personId":"P-');
    for (const id of used) expect(all.includes(id), id).toBe(false);
  });
});
