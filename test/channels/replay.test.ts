/**
 * The replay corpus: every Telegram update and WhatsApp webhook body under test/fixtures/ (written
 * from the platforms' documentation, see test/fixtures/README.md), each with fresh identifiers,
 * posted twice to the assembly `coworkbot start` serves, both channels on loopback fakes.
 *
 * - every kind a person sends gets exactly one reply set: new replies, all in reply to the new
 *   message(s), all sent;
 * - statuses, groups, channel posts, reactions, bot senders, blocks, system notices, revokes and
 *   malformed bodies get none (nothing sent, nothing written in reply);
 * - the second delivery gets none;
 * - no answer is a 5xx.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembledWithFakes, type Assembled } from './assembled.js';
import { fixture, telegramUpdate, whatsappRemapped } from './fakes.js';

type Want = 'reply' | 'none';

const telegram: Record<string, Want> = {
  'text.json': 'reply',
  'start.json': 'reply',
  'start-deeplink.json': 'reply',
  'callback.json': 'reply',
  'location.json': 'reply',
  'venue.json': 'reply',
  'voice.json': 'reply',
  'photo.json': 'reply',
  'photo-no-caption.json': 'reply',
  'document.json': 'reply',
  'sticker.json': 'reply',
  'contact.json': 'reply',
  'video-note.json': 'reply',
  'video-caption.json': 'reply',
  'animation.json': 'reply',
  'poll.json': 'reply',
  'dice.json': 'reply',
  'long-text.json': 'reply',
  'rtl-text.json': 'reply',
  'forwarded-text.json': 'reply',
  // An edit whose original never arrived is the message.
  'edited-text.json': 'reply',
  'edited-location.json': 'reply',
  'group-text.json': 'none',
  'group-photo.json': 'none',
  'callback-group.json': 'none',
  'channel-post.json': 'none',
  'edited-channel-post.json': 'none',
  'bot-sender.json': 'none',
  'reaction-thumbs-up.json': 'none',
  'reaction-thumbs-down.json': 'none',
  'reaction-removed.json': 'none',
  'reaction-group.json': 'none',
  'unknown-type.json': 'none',
  'my-chat-member-blocked.json': 'none',
  'my-chat-member-restarted.json': 'none',
  'bad-no-from.json': 'none',
  'bad-not-object.json': 'none',
};

const whatsapp: Record<string, Want> = {
  'text.json': 'reply',
  'text-rtl.json': 'reply',
  'button-reply.json': 'reply',
  'list-reply.json': 'reply',
  'button-template-quick-reply.json': 'reply',
  'location.json': 'reply',
  'location-bare.json': 'reply',
  'audio-voice.json': 'reply',
  'image.json': 'reply',
  'image-no-caption.json': 'reply',
  'video-caption.json': 'reply',
  'document.json': 'reply',
  'sticker.json': 'reply',
  'contacts.json': 'reply',
  'unsupported.json': 'reply',
  'unknown-message.json': 'reply',
  'order.json': 'reply',
  'flow-reply.json': 'reply',
  'request-welcome.json': 'reply',
  'multiple-messages.json': 'reply',
  'bsuid-only-text.json': 'reply',
  'bsuid-phone-text.json': 'reply',
  'bsuid-in-from.json': 'reply',
  'bsuid-parent.json': 'reply',
  'edit.json': 'reply',
  'reaction.json': 'none',
  'reaction-thumbs-down.json': 'none',
  'reaction-removed.json': 'none',
  'reaction-bsuid.json': 'none',
  'group-text.json': 'none',
  'revoke.json': 'none',
  'errors.json': 'none',
  'system-number-changed.json': 'none',
  'system-user-id-changed.json': 'none',
  'status-sent.json': 'none',
  'status-delivered.json': 'none',
  'status-read.json': 'none',
  'status-failed.json': 'none',
  'status-bsuid.json': 'none',
  'status-read-both.json': 'none',
  'status-failed-bsuid.json': 'none',
  'bad-no-messages.json': 'none',
  'bad-wrong-object.json': 'none',
  'bad-missing-entry.json': 'none',
};

const files = (dir: string) =>
  readdirSync(new URL(`../fixtures/${dir}`, import.meta.url))
    .filter((f) => f.endsWith('.json'))
    .sort();

let env: Assembled;

beforeAll(async () => {
  env = await assembledWithFakes();
});
afterAll(async () => env?.close());

/** Platform calls that deliver a message (not answerCallbackQuery, not media lookups). */
const sends = () => env.tg.requests.filter((r) => /\/send\w+$/.test(r.path)).length + env.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;

async function lastId(): Promise<number> {
  return (await env.app.db.query<{ id: number | null }>(`SELECT max(id)::int AS id FROM messages`))[0]!.id ?? 0;
}

/** Posts one body, lets the bot handle it and the sends go out, and reports what it wrote. */
async function deliver(channel: 'telegram' | 'whatsapp', raw: string): Promise<{ status: number; inbound: number[]; outbound: { inReplyTo: number | null; status: string }[]; sent: number }> {
  const since = await lastId();
  const before = sends();
  const res = await env.post(channel, raw);
  const rows = await env.app.db.query<{ id: number; direction: string; in_reply_to: number | null; status: string }>(
    `SELECT id::int AS id, direction, in_reply_to::int AS in_reply_to, status FROM messages WHERE id > $1 ORDER BY id`,
    [since],
  );
  return {
    status: res.status,
    inbound: rows.filter((r) => r.direction === 'in').map((r) => r.id),
    outbound: rows.filter((r) => r.direction === 'out').map((r) => ({ inReplyTo: r.in_reply_to, status: r.status })),
    sent: sends() - before,
  };
}

function check(want: Want, first: Awaited<ReturnType<typeof deliver>>, second: Awaited<ReturnType<typeof deliver>>): void {
  expect(first.status).toBeLessThan(500);
  expect(second.status).toBeLessThan(500);
  if (want === 'reply') {
    expect(first.inbound.length).toBeGreaterThan(0);
    for (const id of first.inbound) expect(first.outbound.filter((o) => o.inReplyTo === id).length, `replies to message ${id}`).toBeGreaterThan(0);
    expect(first.outbound.every((o) => first.inbound.includes(o.inReplyTo ?? -1))).toBe(true);
    expect(first.outbound.every((o) => o.status === 'sent')).toBe(true);
    expect(first.sent).toBeGreaterThanOrEqual(first.outbound.length);
  } else {
    expect(first.outbound).toEqual([]);
    expect(first.sent).toBe(0);
  }
  // The same body again: a redelivery is never answered.
  expect(second.outbound).toEqual([]);
  expect(second.inbound).toEqual([]);
  expect(second.sent).toBe(0);
}

describe('the replay corpus through the assembly', () => {
  it('has an expectation for every fixture, and more than 60 of them', () => {
    expect(files('telegram')).toEqual(Object.keys(telegram).sort());
    expect(files('whatsapp')).toEqual(Object.keys(whatsapp).sort());
    expect(files('telegram').length + files('whatsapp').length).toBeGreaterThan(60);
  });

  let chat = 910_000;
  it.each(Object.entries(telegram))('Telegram %s, posted twice: %s', async (file, want) => {
    chat += 1;
    const raw = JSON.stringify(file.startsWith('bad-') ? fixture(`telegram/${file}`) : telegramUpdate(file, chat));
    check(want, await deliver('telegram', raw), await deliver('telegram', raw));
  });

  let n = 0;
  it.each(Object.entries(whatsapp))('WhatsApp %s, posted twice: %s', async (file, want) => {
    n += 1;
    // Fresh people: every phone number and business-scoped user id of the fixture is replaced.
    let k = 0;
    const raw = whatsappRemapped(
      file,
      (old) => (/^\d+$/.test(old) ? `3936${String(n).padStart(4, '0')}${String(++k).padStart(3, '0')}` : `IT.61${String(n).padStart(4, '0')}${String(++k).padStart(12, '0')}`),
      `replay${n}`,
    );
    check(want, await deliver('whatsapp', raw), await deliver('whatsapp', raw));
  });
});
