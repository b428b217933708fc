/**
 * Real-world payloads through the assembly `coworkbot start` serves, both channels on loopback fakes:
 * reactions stored as feedback on the answer (never answered) and counted in the insights; captions
 * answered as the person's words with a note; edits answered once; WhatsApp groups ignored;
 * locations far from every space told so, with the nearest space.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import type { Turn } from '../../src/core/feature.js';
import { distanceKm } from '../../src/knowledge/feature.js';
import { finishText } from '../../src/i18n/bidi.js';
import { formatterFor } from '../../src/i18n/format.js';
import { FeedbackStore } from '../../src/storage/feedback-store.js';
import { InsightsStore } from '../../src/storage/insights-store.js';
import { testConfig } from '../helpers.js';
import { assembledWithFakes, TG_SECRET, TG_TOKEN, type Assembled } from './assembled.js';
import { fixture, telegramUpdate, whatsappBody, whatsappRemapped } from './fakes.js';

let env: Assembled;
let app: App;

beforeAll(async () => {
  env = await assembledWithFakes();
  app = env.app;
});
afterAll(async () => env?.close());

const settle = () => env.settle();
const postTelegram = async (body: object) => {
  const res = await env.post('telegram', body);
  expect(res.status).toBe(200);
  return (await res.json()) as { outcome: string };
};
const postWhatsApp = async (raw: string) => expect((await env.post('whatsapp', raw)).status).toBe(200);
const tgSends = (chat: number) => env.tg.requests.filter((r) => r.path.startsWith(`/bot${TG_TOKEN}/send`) && r.body.chat_id === chat);
const waSends = (to: string) => env.graph.requests.filter((r) => r.path.endsWith('/messages') && (r.body.to === to || r.body.recipient === to));
/** The texts the bot wrote to a person, in the order written. */
const outTexts = async (channel: 'telegram' | 'whatsapp', address: string) => {
  const person = (await app.store.findPerson(channel, address))!;
  return (await app.store.history(person.id)).filter((m) => m.direction === 'out').map((m) => (m.body as { text?: string }).text ?? '');
};
const t = (lang: string, key: string, vars?: Record<string, unknown>) => app.translator.for(lang)(key, vars);

/** A Telegram text update for `chat`, with its own message id. */
function tgText(chat: number, messageId: number, text: string, updateId: number) {
  const u = telegramUpdate('text.json', chat, updateId) as { message: { text: string; message_id: number } };
  u.message.text = text;
  u.message.message_id = messageId;
  return u;
}
/** A Telegram reaction update by the person in `chat` on message `messageId`. */
function tgReaction(chat: number, messageId: number, emoji: string | undefined, updateId: number) {
  const u = fixture('telegram/reaction-thumbs-up.json') as { update_id: number; message_reaction: Record<string, unknown> };
  u.update_id = updateId;
  const r = u.message_reaction;
  (r.chat as Record<string, unknown>).id = chat;
  (r.user as Record<string, unknown>).id = chat;
  r.message_id = messageId;
  r.new_reaction = emoji ? [{ type: 'emoji', emoji }] : [];
  return u;
}

describe('reactions', () => {
  it('Telegram: a 👍 on a space card is feedback on that answer; 👎 replaces it; removing it withdraws it; none is answered', async () => {
    const chat = 880_001;
    await postTelegram(telegramUpdate('start-deeplink.json', chat, 70_001));
    const person = (await app.store.findPerson('telegram', String(chat)))!;
    const out = (await app.store.history(person.id)).filter((m) => m.direction === 'out');
    const card = out.at(-1)!;
    const messageId = Number(card.externalId!.split(':')[1]);
    const sends = tgSends(chat).length;
    const feedback = new FeedbackStore(app.db);

    expect((await postTelegram(tgReaction(chat, messageId, '👍🏾', 70_002))).outcome).toBe('reaction');
    expect(await feedback.ofPerson(person.id)).toEqual([{ messageId: card.id, useful: true, target: 'space:millepiani' }]);
    await postTelegram(tgReaction(chat, messageId, '👍🏾', 70_002)); // redelivered: nothing changes
    await postTelegram(tgReaction(chat, messageId, '👎', 70_003));
    expect(await feedback.ofPerson(person.id)).toEqual([{ messageId: card.id, useful: false, target: 'space:millepiani' }]);
    await postTelegram(tgReaction(chat, messageId, '🎉', 70_004)); // an emoji that says neither: left alone
    expect(await feedback.ofPerson(person.id)).toHaveLength(1);
    await postTelegram(tgReaction(chat, messageId, undefined, 70_005));
    expect(await feedback.ofPerson(person.id)).toEqual([]);
    // A reaction to a message that is not the bot's (the person's own) stores nothing.
    const own = (await app.store.history(person.id)).find((m) => m.direction === 'in')!;
    await postTelegram(tgReaction(chat, Number(own.externalId!.split(':')[1]), '👍', 70_006));
    expect(await feedback.ofPerson(person.id)).toEqual([]);

    expect(tgSends(chat)).toHaveLength(sends);
    const events = await app.db.query<{ data: { value: string; target: string } }>(`SELECT data FROM events WHERE type = 'answer_feedback' AND channel = 'telegram' ORDER BY id`);
    expect(events.map((e) => [e.data.value, e.data.target])).toEqual([
      ['useful', 'space:millepiani'],
      ['not_useful', 'space:millepiani'],
      ['withdrawn', 'space:millepiani'],
    ]);
    // The reactions were not stored as messages either.
    expect((await app.store.history(person.id)).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('WhatsApp: a ❤️ from a person known only by BSUID is feedback, counted in the insights; a reaction is never answered', async () => {
    const id = 'IT.4400000000000000001';
    await postWhatsApp(whatsappRemapped('bsuid-only-text.json', () => id, 'r1'));
    const person = (await app.store.findPerson('whatsapp', id))!;
    const last = (await app.store.history(person.id)).filter((m) => m.direction === 'out').at(-1)!;
    const sends = waSends(id).length;
    const reaction = JSON.parse(whatsappRemapped('reaction-bsuid.json', () => id, 'r2'));
    reaction.entry[0].changes[0].value.messages[0].reaction.message_id = last.externalId;
    await postWhatsApp(JSON.stringify(reaction));
    await postWhatsApp(JSON.stringify(reaction));
    expect(waSends(id)).toHaveLength(sends);
    const stored = await new FeedbackStore(app.db).ofPerson(person.id);
    expect(stored).toEqual([{ messageId: last.id, useful: true, target: expect.stringMatching(/^[a-z_]+(:[a-z0-9_-]+)?$/) as unknown as string }]);
    const tallies = await new InsightsStore(app.db).answerFeedback({ from: new Date(Date.now() - 3600_000), to: new Date(Date.now() + 3600_000), channel: 'whatsapp', timezone: 'Europe/Rome' });
    expect(tallies).toEqual([{ key: stored[0]!.target, useful: 1, notUseful: 0, n: 1, people: 1 }]);
  });
});

describe('captions, edits and groups', () => {
  it('WhatsApp: a photo with a question in its caption gets the note and an answer to the words', async () => {
    const from = '393330880001';
    await postWhatsApp(whatsappBody('text.json', from, 'c0'));
    const before = waSends(from).length;
    await postWhatsApp(whatsappBody('image.json', from, 'c1'));
    const person = (await app.store.findPerson('whatsapp', from))!;
    const replies = (await outTexts('whatsapp', from)).slice(before);
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(waSends(from).length - before).toBeGreaterThanOrEqual(replies.length);
    expect(person.language).toBe('it');
    expect(replies[0]).toBe(t('it', 'channels:caption.note'));
    expect(replies.join('')).not.toContain(t('it', 'core:media.image'));
    expect((await app.store.history(person.id)).filter((m) => m.direction === 'in').at(-1)!.body).toMatchObject({ type: 'image', caption: 'È questa la sala riunioni?' });
  });

  it('Telegram: a video with a Persian caption is answered in Persian, after the note; a photo without caption gets the plain answer', async () => {
    const chat = 880_002;
    await postTelegram(telegramUpdate('video-caption.json', chat, 71_001));
    // In the order written (two send workers may deliver them to the fake in either order).
    const replies = await outTexts('telegram', String(chat));
    expect(replies[0]).toBe(t('fa', 'channels:caption.note'));
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(tgSends(chat)).toHaveLength(replies.length);
    const chat2 = 880_003;
    await postTelegram(telegramUpdate('video-caption.json', chat2, 71_002));
    const before = (await outTexts('telegram', String(chat2))).length;
    await postTelegram(telegramUpdate('photo-no-caption.json', chat2, 71_003));
    const plain = (await outTexts('telegram', String(chat2))).slice(before);
    expect(plain[0]).toBe(t('fa', 'core:media.image'));
    expect(plain).not.toContain(t('fa', 'channels:caption.note'));
  });

  it('Telegram: an edit of an answered message is not answered again; an edit whose original never came is answered once', async () => {
    const chat = 880_004;
    await postTelegram(tgText(chat, 501, 'Cerco un coworking a Milano', 72_001));
    const sends = tgSends(chat).length;
    const edit = telegramUpdate('edited-text.json', chat, 72_002) as { edited_message: { message_id: number } };
    edit.edited_message.message_id = 501;
    expect((await postTelegram(edit)).outcome).toBe('message');
    expect(tgSends(chat)).toHaveLength(sends);

    const chat2 = 880_005;
    await postTelegram(telegramUpdate('edited-location.json', chat2, 72_003));
    const once = tgSends(chat2).length;
    expect(once).toBeGreaterThan(0);
    await postTelegram(telegramUpdate('edited-location.json', chat2, 72_003)); // redelivered
    const later = telegramUpdate('edited-location.json', chat2, 72_004) as { edited_message: { edit_date: number } };
    later.edited_message.edit_date += 60; // a live location moves: the next edit
    await postTelegram(later);
    const original = { update_id: 72_005, message: { ...(telegramUpdate('edited-location.json', chat2, 72_005) as { edited_message: Record<string, unknown> }).edited_message } };
    delete original.message.edit_date;
    await postTelegram(original); // the original arriving late is the same message
    expect(tgSends(chat2)).toHaveLength(once);
    const person = (await app.store.findPerson('telegram', String(chat2)))!;
    expect((await app.store.history(person.id)).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('Telegram: an edit of a message still waiting its turn is handled with the new text, once', async () => {
    const chat = 880_006;
    const router = app.bot.router;
    const route = router.route.bind(router);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const spy = vi.spyOn(router, 'route').mockImplementation(async (turn: Turn) => {
      if (turn.inbound.channel === 'telegram' && turn.inbound.address === String(chat)) {
        seen.push(turn.content.type === 'text' ? turn.content.text : turn.content.type);
        if (seen.length === 1) await gate;
      }
      return route(turn);
    });
    try {
      // Not waiting for the answers: the first turn is held at the gate.
      const post = (body: object) =>
        env.served.web.request('/webhooks/telegram', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': TG_SECRET }, body: JSON.stringify(body) });
      expect((await post(tgText(chat, 601, 'hello', 73_001))).status).toBe(200);
      await vi.waitFor(() => expect(seen).toEqual(['hello']));
      expect((await post(tgText(chat, 602, 'Cerco un coworking a Milano', 73_002))).status).toBe(200);
      const edit = tgText(chat, 602, 'Cerco un coworking aperto la domenica', 73_003) as unknown as { edited_message?: unknown; message?: Record<string, unknown> };
      edit.edited_message = { ...edit.message, edit_date: 1795519999 };
      delete edit.message;
      expect((await post(edit)).status).toBe(200);
      release();
      await settle();
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual(['hello', 'Cerco un coworking aperto la domenica']);
    const person = (await app.store.findPerson('telegram', String(chat)))!;
    const inbound = (await app.store.history(person.id)).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => (m.body as { text: string }).text)).toEqual(['hello', 'Cerco un coworking aperto la domenica']);
  });

  it('WhatsApp: an edit (coexistence) of a message never received is answered once; a revoke and a group message are not answered', async () => {
    const from = '393330880002';
    await postWhatsApp(whatsappRemapped('edit.json', () => from, 'e1'));
    const once = waSends(from).length;
    expect(once).toBeGreaterThan(0);
    await postWhatsApp(whatsappRemapped('edit.json', () => from, 'e1'));
    await postWhatsApp(whatsappRemapped('revoke.json', () => from, 'e2'));
    expect(waSends(from)).toHaveLength(once);

    const member = '393330880003';
    await postWhatsApp(whatsappRemapped('group-text.json', (old) => (old.startsWith('IT.') ? 'IT.4400000000000000009' : member), 'g1'));
    expect(waSends(member)).toHaveLength(0);
    expect(await app.store.findPerson('whatsapp', member)).toBeUndefined();
  });
});

describe('locations far from every space', () => {
  const located = (chat: number, lat: number, lng: number, updateId: number) => {
    const u = telegramUpdate('location.json', chat, updateId) as { message: { location: { latitude: number; longitude: number } } };
    u.message.location = { latitude: lat, longitude: lng };
    return u;
  };

  it('Quito and the Gulf of Guinea get "far from Rome" with the nearest space and its distance, not a "near you" list', async () => {
    for (const [chat, lat, lng, minKm] of [
      [880_010, -0.1807, -78.4678, 9000],
      [880_011, 0.5, 2.5, 4000],
    ] as const) {
      await postTelegram(tgText(chat, 1, 'menu', 74_000 + chat));
      await postTelegram(located(chat, lat, lng, 75_000 + chat));
      const person = (await app.store.findPerson('telegram', String(chat)))!;
      const lang = person.language ?? 'en';
      const replies = tgSends(chat);
      const last = replies.at(-1)!.body as { text: string; reply_markup: { inline_keyboard: { callback_data: string }[][] } };
      const [nearest] = app.knowledge.content.spaces
        .filter((s) => s.address.trim() !== '')
        .map((s) => ({ s, km: distanceKm({ lat, lng }, s) }))
        .sort((a, b) => a.km - b.km);
      expect(nearest!.km).toBeGreaterThan(minKm);
      // As sent: with the direction marks a right-to-left reader needs (src/i18n/bidi.ts).
      expect(last.text).toBe(finishText(t(lang, 'knowledge:spaces.farAway', { space: nearest!.s.name, km: formatterFor(lang).number(Math.round(nearest!.km), 0) }), lang));
      expect(replies.map((r) => String(r.body.text ?? '')).join('\n')).not.toContain(t(lang, 'knowledge:spaces.nearYou'));
      expect(last.reply_markup.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['know:list', `know:s:${nearest!.s.id}`, 'cmd:human']);
    }
  });

  it('a location in Rome still gets the spaces near it', async () => {
    const chat = 880_012;
    await postTelegram(tgText(chat, 1, 'menu', 74_100));
    await postTelegram(located(chat, 41.8719, 12.4801, 74_101));
    const person = (await app.store.findPerson('telegram', String(chat)))!;
    const text = tgSends(chat)
      .map((r) => String(r.body.text ?? ''))
      .join('\n');
    expect(text).toContain(t(person.language ?? 'en', 'knowledge:spaces.nearYou'));
  });

  it('LOCATION_MAX_KM moves the limit: Tunis is far by default, near enough at 1000 km', async () => {
    const ask = async (a: App, address: string) => {
      await a.bot.handle({ channel: 'web', address, externalId: `${address}:1`, receivedAt: new Date(), content: { type: 'text', text: 'menu' }, languageHint: 'en' });
      return a.bot.handle({ channel: 'web', address, externalId: `${address}:2`, receivedAt: new Date(), content: { type: 'location', lat: 36.8065, lng: 10.1815 }, languageHint: 'en' });
    };
    const far = await ask(app, 'tunis-default');
    expect(far.replies.map((r) => r.text ?? '').join('\n')).toContain(t(far.lang, 'knowledge:spaces.farAway', { space: '', km: '' }).split(',')[0]!);
    const wide = await createApp({ config: testConfig({ LOCATION_MAX_KM: '1000' }), db: { kind: 'memory' }, embeddedQueue: true });
    try {
      const near = await ask(wide, 'tunis-wide');
      expect(near.replies.map((r) => r.text ?? '').join('\n')).toContain(t(near.lang, 'knowledge:spaces.nearYou'));
    } finally {
      await wide.close();
    }
  });
});
