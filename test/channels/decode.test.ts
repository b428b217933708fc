import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTelegramUpdate, type TelegramDecoded } from '../../src/channels/telegram/decode.js';
import { decodeWhatsAppWebhook, type WhatsAppDecoded } from '../../src/channels/whatsapp/decode.js';
import type { InboundContent } from '../../src/core/types.js';
import { fixture } from './fakes.js';

const at = new Date('2026-11-24T10:00:00Z');

/** What each Telegram fixture must decode to: the outcome and, for messages, the content and extras. */
const telegramCases: Record<
  string,
  { kind: TelegramDecoded['kind']; content?: InboundContent; externalId?: string; editOf?: string; startPayload?: string; hint?: string; reaction?: { target: string; emoji?: string } }
> = {
  'text.json': { kind: 'message', content: { type: 'text', text: expect.any(String) as unknown as string }, hint: 'ar' },
  'start.json': { kind: 'message', content: { type: 'text', text: '/start' } },
  'start-deeplink.json': { kind: 'message', content: { type: 'text', text: '/start' }, startPayload: 'space_millepiani' },
  'callback.json': { kind: 'message', content: { type: 'choice', id: 'menu:spaces' }, externalId: 'cb:2623919743580281347', hint: 'it' },
  'location.json': { kind: 'message', content: { type: 'location', lat: expect.any(Number) as unknown as number, lng: expect.any(Number) as unknown as number } },
  'venue.json': { kind: 'message', content: { type: 'location', lat: 45.484705, lng: 9.204148, label: expect.stringContaining(',') as unknown as string } },
  'voice.json': { kind: 'message', content: { type: 'voice', mediaId: expect.stringMatching(/^AwAC/) as unknown as string, mimeType: 'audio/ogg' } },
  'photo.json': { kind: 'message', content: { type: 'image', mediaId: expect.stringMatching(/^AgAC/) as unknown as string, caption: expect.any(String) as unknown as string } },
  'document.json': {
    kind: 'message',
    content: { type: 'document', mediaId: expect.stringMatching(/^BQAC/) as unknown as string, fileName: expect.any(String) as unknown as string, caption: expect.any(String) as unknown as string },
  },
  'sticker.json': { kind: 'message', content: { type: 'sticker' } },
  'edited-text.json': { kind: 'message', content: { type: 'text', text: 'Cerco un coworking a Torino, non a Milano' }, externalId: '6098765432:1196:edit:1795519845', editOf: '6098765432:1196' },
  'edited-location.json': { kind: 'message', content: { type: 'location', lat: 41.872391, lng: 12.480165 }, externalId: '6098765432:1210:edit:1795520640', editOf: '6098765432:1210' },
  'video-caption.json': { kind: 'message', content: { type: 'unsupported', what: 'video', caption: expect.stringMatching(/^این ورودی/) as unknown as string }, hint: 'fa' },
  'animation.json': { kind: 'message', content: { type: 'unsupported', what: 'animation' } },
  'poll.json': { kind: 'message', content: { type: 'unsupported', what: 'poll' } },
  'dice.json': { kind: 'message', content: { type: 'unsupported', what: 'dice' } },
  'photo-no-caption.json': { kind: 'message', content: { type: 'image', mediaId: expect.stringMatching(/^AgAC/) as unknown as string } },
  'forwarded-text.json': { kind: 'message', content: { type: 'text', text: 'Open day al coworking di Ostiense sabato alle 10' } },
  'reaction-thumbs-up.json': { kind: 'reaction', reaction: { target: '6098765432:1203', emoji: '👍' } },
  'reaction-thumbs-down.json': { kind: 'reaction', reaction: { target: '7311204598:2207', emoji: '👎' } },
  'reaction-removed.json': { kind: 'reaction', reaction: { target: '6098765432:1203' } },
  'reaction-group.json': { kind: 'ignored' },
  'bot-sender.json': { kind: 'ignored' },
  'edited-channel-post.json': { kind: 'ignored' },
  'callback-group.json': { kind: 'ignored' },
  'group-photo.json': { kind: 'ignored' },
  'my-chat-member-restarted.json': { kind: 'ignored' },
  'contact.json': { kind: 'message', content: { type: 'unsupported', what: 'contact' } },
  'video-note.json': { kind: 'message', content: { type: 'unsupported', what: 'video_note' } },
  'long-text.json': { kind: 'message', content: { type: 'text', text: expect.any(String) as unknown as string } },
  'rtl-text.json': { kind: 'message', content: { type: 'text', text: expect.any(String) as unknown as string }, hint: 'fa' },
  'group-text.json': { kind: 'ignored' },
  'channel-post.json': { kind: 'ignored' },
  'unknown-type.json': { kind: 'ignored' },
  'my-chat-member-blocked.json': { kind: 'blocked' },
  'bad-no-from.json': { kind: 'rejected' },
  'bad-not-object.json': { kind: 'rejected' },
};

describe('Telegram decoder over every fixture', () => {
  const files = readdirSync(new URL('../fixtures/telegram', import.meta.url)).filter((f) => f.endsWith('.json'));
  it('has an expectation for every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(telegramCases).sort());
  });
  it.each(Object.entries(telegramCases))('%s', (file, want) => {
    const body = fixture(`telegram/${file}`);
    const got = decodeTelegramUpdate(body, at);
    expect(got.kind).toBe(want.kind);
    if (got.kind === 'message') {
      const m = got.message;
      expect(m.channel).toBe('telegram');
      expect(m.address).toMatch(/^-?\d+$/);
      expect(m.receivedAt).toBe(at);
      expect(m.content).toEqual(want.content);
      if (want.externalId) expect(m.externalId).toEqual(want.externalId);
      else expect(m.externalId).toMatch(/^\d+:\d+$/);
      expect(m.startPayload).toBe(want.startPayload);
      expect(m.editOf).toBe(want.editOf);
      if (want.hint) expect(m.languageHint).toBe(want.hint);
      expect(got.callbackQueryId !== undefined).toBe(file === 'callback.json');
    }
    if (got.kind === 'reaction') {
      const { target, emoji } = want.reaction!;
      expect(got.reaction).toEqual({ channel: 'telegram', address: target.split(':')[0], target, ...(emoji ? { emoji } : {}), receivedAt: at });
    }
    if (got.kind === 'blocked') expect(got.address).toBe('6098765432');
    if (got.kind === 'rejected' || got.kind === 'ignored') expect(got.reason.length).toBeGreaterThan(0);
  });

  it('gives an edit a different id from the original message, and a redelivery the same', () => {
    const edited = fixture('telegram/edited-text.json') as { edited_message: Record<string, unknown> };
    const original = { update_id: 1, message: { ...edited.edited_message } };
    delete (original.message as Record<string, unknown>).edit_date;
    const a = decodeTelegramUpdate(original, at);
    const b = decodeTelegramUpdate(edited, at);
    const c = decodeTelegramUpdate(structuredClone(edited), at);
    expect(a.kind === 'message' && b.kind === 'message' && c.kind === 'message').toBe(true);
    if (a.kind === 'message' && b.kind === 'message' && c.kind === 'message') {
      expect(a.message.externalId).not.toBe(b.message.externalId);
      expect(b.message.externalId).toBe(c.message.externalId);
    }
  });
});

type WaWant = {
  kind: WhatsAppDecoded['kind'];
  contents?: InboundContent[];
  statuses?: { status: string; errorCode?: number }[];
  /** The sender's address and aliases (default: a phone number, no alias). */
  who?: { address: string; aliases?: string[] };
  editOf?: string;
  reactions?: { address: string; aliases?: string[]; target: string; emoji?: string }[];
  identities?: { known: string[]; retired: string[]; current: string[] }[];
  links?: string[][];
  ignored?: string[];
};
const AMINA = { address: '393479876543', aliases: ['IT.1146279035586609481'] };
const YUSUF = 'IT.2208836412570093317';
const WAMID = expect.stringMatching(/^wamid\./) as unknown as string;
const waCases: Record<string, WaWant> = {
  'text.json': { kind: 'batch', contents: [{ type: 'text', text: 'Ciao! Cerco un coworking a Milano per domani' }] },
  'text-rtl.json': { kind: 'batch', contents: [{ type: 'text', text: expect.stringMatching(/^مرحب/) as unknown as string }] },
  'button-reply.json': { kind: 'batch', contents: [{ type: 'choice', id: 'menu:spaces' }] },
  'list-reply.json': { kind: 'batch', contents: [{ type: 'choice', id: expect.any(String) as unknown as string }] },
  'button-template-quick-reply.json': { kind: 'batch', contents: [{ type: 'choice', id: 'booking:confirm' }] },
  'location.json': { kind: 'batch', contents: [{ type: 'location', lat: 45.484705, lng: 9.204148, label: "Stazione di Milano Centrale, Piazza Duca d'Aosta, 1, 20124 Milano MI" }] },
  'location-bare.json': { kind: 'batch', contents: [{ type: 'location', lat: 45.478156, lng: 9.225614 }] },
  'audio-voice.json': { kind: 'batch', contents: [{ type: 'voice', mediaId: '5922825418367543', mimeType: 'audio/ogg; codecs=opus' }] },
  'image.json': { kind: 'batch', contents: [{ type: 'image', mediaId: expect.any(String) as unknown as string, caption: 'È questa la sala riunioni?' }] },
  'document.json': {
    kind: 'batch',
    contents: [{ type: 'document', mediaId: expect.any(String) as unknown as string, fileName: 'preventivo_postazione_fissa.pdf', caption: 'Il preventivo che mi hanno mandato' }],
  },
  'sticker.json': { kind: 'batch', contents: [{ type: 'sticker' }] },
  'reaction.json': { kind: 'batch', reactions: [{ address: '393331234567', target: 'wamid.HBgMMzkzMzMxMjM0NTY3FQIAERgSMjJBMDE4MTBERUYwQTA4MTVFAA==', emoji: '👍' }] },
  'reaction-thumbs-down.json': { kind: 'batch', reactions: [{ address: '393331234567', target: WAMID, emoji: '👎🏽' }] },
  'reaction-removed.json': { kind: 'batch', reactions: [{ address: '393331234567', target: WAMID }] },
  'reaction-bsuid.json': { kind: 'batch', reactions: [{ address: YUSUF, target: WAMID, emoji: '❤️' }] },
  'bsuid-only-text.json': { kind: 'batch', contents: [{ type: 'text', text: 'Salam, I am looking for a quiet place to study near Termini' }], who: { address: YUSUF } },
  'bsuid-in-from.json': { kind: 'batch', contents: [{ type: 'text', text: 'menu' }], who: { address: YUSUF } },
  'bsuid-phone-text.json': { kind: 'batch', contents: [{ type: 'text', text: expect.stringMatching(/^سلام/) as unknown as string }], who: AMINA },
  'bsuid-parent.json': { kind: 'batch', contents: [{ type: 'text', text: 'Ci sono eventi questa settimana?' }], who: AMINA },
  'request-welcome.json': { kind: 'batch', contents: [{ type: 'text', text: '/start' }], who: AMINA },
  'group-text.json': { kind: 'batch', ignored: ['group message'] },
  'video-caption.json': { kind: 'batch', contents: [{ type: 'unsupported', what: 'video', caption: 'Quanto costa una postazione qui?' }] },
  'image-no-caption.json': { kind: 'batch', contents: [{ type: 'image', mediaId: '2271904461983025' }] },
  'flow-reply.json': { kind: 'batch', contents: [{ type: 'unsupported', what: 'interactive nfm_reply' }] },
  'unknown-message.json': { kind: 'batch', contents: [{ type: 'unsupported', what: 'unknown' }] },
  'order.json': { kind: 'batch', contents: [{ type: 'unsupported', what: 'order' }] },
  'edit.json': { kind: 'batch', contents: [{ type: 'text', text: 'Cerco un coworking aperto la domenica' }], editOf: WAMID },
  'revoke.json': { kind: 'batch', ignored: ['revoked message'] },
  'errors.json': { kind: 'batch', ignored: ['change without messages or statuses'] },
  'system-number-changed.json': {
    kind: 'batch',
    identities: [{ known: ['393479876543', 'IT.1146279035586609481'], retired: ['393479876543', 'IT.1146279035586609481'], current: ['393512223344', 'IT.7720934411865520973'] }],
  },
  'system-user-id-changed.json': { kind: 'batch', identities: [{ known: [YUSUF], retired: [YUSUF], current: ['IT.5517302948861104722'] }] },
  'status-bsuid.json': { kind: 'batch', statuses: [{ status: 'delivered' }] },
  'status-read-both.json': { kind: 'batch', statuses: [{ status: 'read' }], links: [['393479876543', 'IT.1146279035586609481']] },
  'status-failed-bsuid.json': { kind: 'batch', statuses: [{ status: 'failed', errorCode: 131026 }] },
  'unsupported.json': { kind: 'batch', contents: [{ type: 'unsupported', what: 'poll_creation' }] },
  'contacts.json': { kind: 'batch', contents: [{ type: 'unsupported', what: 'contacts' }] },
  'multiple-messages.json': {
    kind: 'batch',
    contents: [
      { type: 'text', text: expect.any(String) as unknown as string },
      { type: 'text', text: expect.any(String) as unknown as string },
    ],
  },
  'status-sent.json': { kind: 'batch', statuses: [{ status: 'sent' }] },
  'status-delivered.json': { kind: 'batch', statuses: [{ status: 'delivered' }] },
  'status-read.json': { kind: 'batch', statuses: [{ status: 'read' }] },
  'status-failed.json': { kind: 'batch', statuses: [{ status: 'failed', errorCode: 131047 }] },
  'bad-no-messages.json': { kind: 'batch', contents: [], statuses: [] },
  'bad-wrong-object.json': { kind: 'rejected' },
  'bad-missing-entry.json': { kind: 'rejected' },
};

describe('WhatsApp decoder over every fixture', () => {
  const files = readdirSync(new URL('../fixtures/whatsapp', import.meta.url)).filter((f) => f.endsWith('.json'));
  it('has an expectation for every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(waCases).sort());
  });
  it.each(Object.entries(waCases))('%s', (file, want) => {
    const got = decodeWhatsAppWebhook(fixture(`whatsapp/${file}`), at, '106540352242922');
    expect(got.kind).toBe(want.kind);
    if (got.kind !== 'batch') return;
    expect(got.messages.map((m) => m.content)).toEqual(want.contents ?? []);
    for (const m of got.messages) {
      expect(m.channel).toBe('whatsapp');
      if (want.who) expect({ address: m.address, aliases: m.aliases }).toEqual({ aliases: undefined, ...want.who });
      else expect([m.address, m.aliases]).toEqual([expect.stringMatching(/^\d+$/), undefined]);
      expect(m.externalId).toMatch(/^wamid\./);
      expect(m.editOf).toEqual(want.editOf);
    }
    expect(got.statuses.map((s) => ({ status: s.status, ...(s.errorCode ? { errorCode: s.errorCode } : {}) }))).toEqual(want.statuses ?? []);
    for (const r of got.reactions) expect([r.channel, r.receivedAt]).toEqual(['whatsapp', at]);
    expect(got.reactions.map(({ channel: _c, receivedAt: _r, ...r }) => r)).toEqual(want.reactions ?? []);
    expect(got.identities).toEqual(want.identities ?? []);
    expect(got.links).toEqual(want.links ?? []);
    if (want.ignored) expect(got.ignored).toEqual(want.ignored);
    if (file === 'bad-no-messages.json') expect(got.ignored).toEqual(['change without messages or statuses']);
  });

  it('reads every message of a multi-message webhook, each with its own sender', () => {
    const got = decodeWhatsAppWebhook(fixture('whatsapp/multiple-messages.json'), at);
    expect(got.kind).toBe('batch');
    if (got.kind === 'batch') {
      expect(new Set(got.messages.map((m) => m.address)).size).toBe(2);
      expect(new Set(got.messages.map((m) => m.externalId)).size).toBe(2);
    }
  });

  it('drops changes for another phone number of the same app', () => {
    const got = decodeWhatsAppWebhook(fixture('whatsapp/text.json'), at, '999');
    expect(got).toEqual({ kind: 'batch', messages: [], statuses: [], reactions: [], identities: [], links: [], ignored: ['another phone number'] });
  });
});

/** Replaces one random leaf (or node) of a JSON value with a random JSON value. */
function mutations(base: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(base, []);
  return fc.tuple(fc.constantFrom(...paths), fc.jsonValue(), fc.boolean()).map(([path, value, drop]) => {
    if (path.length === 0) return value;
    const copy = structuredClone(base) as Record<string | number, unknown>;
    let node = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (drop && !Array.isArray(node)) delete node[last];
    else node[last] = value;
    return copy;
  });
}

function isClean(d: TelegramDecoded | WhatsAppDecoded): boolean {
  if (d.kind === 'rejected' || d.kind === 'ignored') return typeof d.reason === 'string' && d.reason.length > 0;
  const messages = d.kind === 'message' ? [d.message] : d.kind === 'batch' ? d.messages : [];
  return messages.every((m) => typeof m.address === 'string' && m.address.length > 0 && typeof m.externalId === 'string' && m.externalId.length > 0 && typeof m.content.type === 'string');
}

describe('decoders never crash (fast-check)', () => {
  const tg = readdirSync(new URL('../fixtures/telegram', import.meta.url))
    .filter((f) => f.endsWith('.json'))
    .map((f) => fixture(`telegram/${f}`));
  const wa = readdirSync(new URL('../fixtures/whatsapp', import.meta.url))
    .filter((f) => f.endsWith('.json'))
    .map((f) => fixture(`whatsapp/${f}`));

  it('Telegram: random JSON and mutated real updates decode or are rejected with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), ...tg.map(mutations)), (body) => isClean(decodeTelegramUpdate(body, at))),
      { numRuns: 3000 },
    );
  });
  it('WhatsApp: random JSON and mutated real webhooks decode or are rejected with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), ...wa.map(mutations)), (body) => isClean(decodeWhatsAppWebhook(body, at))),
      { numRuns: 3000 },
    );
  });
});
