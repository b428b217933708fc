import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LEAD_MS, RateLimiter } from '../../src/channels/rate-limit.js';
import { scrubNumbers, TelegramAdapter } from '../../src/channels/telegram/telegram-adapter.js';
import { fit } from '../../src/channels/whatsapp/encode.js';
import { WhatsAppAdapter } from '../../src/channels/whatsapp/whatsapp-adapter.js';
import { render } from '../../src/core/render.js';
import { capabilitiesOf } from '../../src/channels/channel.js';
import type { OutboundMessage } from '../../src/core/types.js';
import { fakeGraph, fakeTelegram, fixture, fixtureText, type FakeApi } from './fakes.js';

const ctx = { personId: 'P-TEST0001', messageId: 1, lang: 'en' };
const place = { name: 'Millepiani', address: 'Via Nicolò Odero 13, Roma', lat: 41.8569, lng: 12.4793 };
const fast = { perSecond: 1000, perAddress: 1000 };

describe('Telegram adapter against a fake Bot API', () => {
  let fake: FakeApi;
  let tg: TelegramAdapter;
  beforeAll(async () => {
    fake = await fakeTelegram().start();
    tg = new TelegramAdapter({ token: '123:TEST', apiRoot: fake.url, rate: fast });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.clear());

  it('sends choices as an inline keyboard, one button per row', async () => {
    const r = await tg.send(
      '6098765432',
      {
        text: 'Pick one',
        choices: [
          { id: 'know:spaces', label: 'Find a space' },
          { id: 'cmd:human', label: 'Talk to a person' },
        ],
      },
      ctx,
    );
    expect(r).toEqual({ ok: true, externalId: '6098765432:5001' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.path).toBe('/bot123:TEST/sendMessage');
    expect(fake.requests[0]!.body).toEqual({
      chat_id: 6098765432,
      text: 'Pick one',
      reply_markup: { inline_keyboard: [[{ text: 'Find a space', callback_data: 'know:spaces' }], [{ text: 'Talk to a person', callback_data: 'cmd:human' }]] },
    });
  });

  it('sends a place as a venue', async () => {
    const r = await tg.send('42', { place }, ctx);
    expect(r.ok).toBe(true);
    expect(fake.requests.map((q) => q.path)).toEqual(['/bot123:TEST/sendVenue']);
    expect(fake.requests[0]!.body).toEqual({ chat_id: 42, latitude: place.lat, longitude: place.lng, title: place.name, address: place.address });
  });

  it('never sends callback data over 64 bytes (the renderer fits ids; the keyboard drops what still does not fit)', async () => {
    const long = { id: 'x'.repeat(80), label: 'Too long' };
    const [rendered] = render({ text: 'Hi', choices: [long] }, capabilitiesOf.telegram);
    expect(Buffer.byteLength(rendered!.choices![0]!.id)).toBeLessThanOrEqual(64);
    await tg.send('42', { text: 'Hi', choices: [long, { id: 'ok', label: 'OK' }] }, ctx);
    expect(fake.requests[0]!.body.reply_markup).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] });
  });

  it('splits text over 4096 characters in the renderer', () => {
    const parts = render({ text: fixture('telegram/long-text.json').message ? String((fixture('telegram/long-text.json').message as { text: string }).text) : '' }, capabilitiesOf.telegram);
    expect(parts.length).toBe(2);
    for (const p of parts) expect(p.text!.length).toBeLessThanOrEqual(4096);
  });

  it('maps 429 to a retry after retry_after seconds', async () => {
    fake.failNext('sendMessage', 429, fixtureText('telegram/api-responses/error-429.json'));
    // Its own adapter: a 429 pauses every later send of that adapter for retry_after.
    const own = new TelegramAdapter({ token: '123:TEST', apiRoot: fake.url, rate: fast });
    const r = await own.send('42', { text: 'hi' }, ctx);
    expect(r).toMatchObject({ ok: false, retryable: true, retryAfterMs: 3000 });
  });

  it('maps 5xx (JSON or an HTML proxy page) to retryable', async () => {
    fake.failNext('sendMessage', 502, fixtureText('telegram/api-responses/error-502.json'));
    expect(await tg.send('42', { text: 'hi' }, ctx)).toMatchObject({ ok: false, retryable: true });
    fake.failNext('sendMessage', 502, '<html><body>502 Bad Gateway</body></html>', 'text/html');
    expect(await tg.send('42', { text: 'hi' }, ctx)).toMatchObject({ ok: false, retryable: true });
  });

  it('maps 403 blocked to unreachable, 400 to a recorded failure', async () => {
    fake.failNext('sendMessage', 403, fixtureText('telegram/api-responses/error-403-blocked.json'));
    expect(await tg.send('42', { text: 'hi' }, ctx)).toMatchObject({ ok: false, retryable: false, unreachable: true, error: expect.stringContaining('403') });
    fake.failNext('sendMessage', 400, fixtureText('telegram/api-responses/error-400-callback-data.json'));
    expect(await tg.send('42', { text: 'hi' }, ctx)).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('BUTTON_DATA_INVALID') });
  });
});

describe('WhatsApp adapter against a fake Graph API', () => {
  let fake: FakeApi;
  let now = new Date('2026-11-24T12:00:00Z');
  let lastInbound: Date | null = new Date('2026-11-24T11:00:00Z');
  let template: { name: string; language?: string } | undefined;
  let wa: WhatsAppAdapter;
  const make = () =>
    new WhatsAppAdapter({
      accessToken: 'WA-TOKEN',
      phoneNumberId: '106540352242922',
      apiUrl: fake.url,
      rate: { perSecond: 1000 },
      template,
      lastInboundAt: async () => lastInbound,
      now: () => now,
      words: () => ({ listButton: 'Choose', more: 'More options', moreDescription: 'Show the next options' }),
    });
  beforeAll(async () => {
    fake = await fakeGraph().start();
    wa = make();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.clear();
    now = new Date('2026-11-24T12:00:00Z');
    lastInbound = new Date('2026-11-24T11:00:00Z');
  });

  it('sends text with the bearer token to /v24.0/<phone id>/messages', async () => {
    const r = await wa.send('393331234567', { text: 'Ciao' }, ctx);
    expect(r).toEqual({ ok: true, externalId: 'wamid.FAKE1' });
    const q = fake.requests[0]!;
    expect(q.path).toBe('/v24.0/106540352242922/messages');
    expect(q.headers.authorization).toBe('Bearer WA-TOKEN');
    expect(q.body).toEqual({ messaging_product: 'whatsapp', type: 'text', to: '393331234567', text: { body: 'Ciao' } });
  });

  it('sends up to 3 choices as reply buttons with titles of at most 20 characters', async () => {
    await wa.send(
      '393331234567',
      {
        text: 'Pick',
        choices: [
          { id: 'a', label: 'Find a coworking space near me' },
          { id: 'b', label: 'Events' },
        ],
      },
      ctx,
    );
    expect(fake.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      type: 'interactive',
      to: '393331234567',
      interactive: {
        type: 'button',
        body: { text: 'Pick' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'a', title: 'Find a coworking…' } },
            { type: 'reply', reply: { id: 'b', title: 'Events' } },
          ],
        },
      },
    });
  });

  it('sends 4–10 choices as a list (row titles ≤ 24, full label as description)', async () => {
    const choices = Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, label: i === 0 ? 'Spazio di coworking aperto a tutti' : `Option ${i}` }));
    await wa.send('393331234567', { text: 'Pick', choices }, ctx);
    const body = fake.requests[0]!.body as { interactive: { type: string; action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] } } };
    expect(body.interactive.type).toBe('list');
    expect(body.interactive.action.button).toBe('Choose');
    const rows = body.interactive.action.sections[0]!.rows;
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ id: 'c0', title: 'Spazio di coworking…', description: 'Spazio di coworking aperto a tutti' });
    expect(rows[1]).toEqual({ id: 'c1', title: 'Option 1' });
  });

  it('sends more than 10 choices as a paged list: 9 rows and a "more" row naming the stored message', async () => {
    const choices = Array.from({ length: 16 }, (_, i) => ({ id: `lang:${i}`, label: `Language ${i}` }));
    await wa.send('393331234567', { text: 'Which language?', choices }, { ...ctx, messageId: 77 });
    const body = fake.requests[0]!.body as { interactive: { action: { sections: { rows: { id: string; title: string; description?: string }[] }[] } } };
    const rows = body.interactive.action.sections[0]!.rows;
    expect(rows).toHaveLength(10);
    expect(rows.slice(0, 9).map((r) => r.id)).toEqual(choices.slice(0, 9).map((c) => c.id));
    expect(rows[9]).toEqual({ id: 'wa:more:77', title: 'More options', description: 'Show the next options' });
  });

  it('sends a place as a location message', async () => {
    await wa.send('393331234567', { place }, ctx);
    expect(fake.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      type: 'location',
      to: '393331234567',
      location: { longitude: place.lng, latitude: place.lat, name: place.name, address: place.address },
    });
  });

  it('shortens labels meaningfully in every script, within UTF-16 limits', () => {
    for (const label of ['مساحة عمل مشتركة مفتوحة للجميع في روما', '向所有人开放的联合办公空间就在罗马市中心附近', 'Простір для спільної роботи 🏢🏢🏢', 'ኣብ ሮማ ዘሎ ንኹሉ ክፉት ናይ ሓባር ቦታ ስራሕ']) {
      // biome-ignore lint/suspicious/noFocusedTests: `fit` is the label-fitting function under test, not a focused test
      const t = fit(label, 20);
      expect(t.length).toBeLessThanOrEqual(20);
      expect(t.endsWith('…')).toBe(true);
      expect(label.startsWith(t.slice(0, -1).trimEnd())).toBe(true);
    }
  });

  it('outside the 24-hour window sends no free text: held, or the configured template then held', async () => {
    lastInbound = new Date('2026-11-23T11:00:00Z');
    expect(await wa.send('393331234567', { text: 'Hi' }, ctx)).toMatchObject({ ok: false, retryable: false, outsideWindow: true });
    expect(fake.requests).toHaveLength(0);
    template = { name: 'reply_waiting', language: 'it' };
    const withTemplate = make();
    const r = await withTemplate.send('393331234567', { text: 'Hi' }, ctx);
    expect(r).toMatchObject({ ok: false, outsideWindow: true, error: expect.stringContaining('template sent') });
    expect(fake.requests.map((q) => q.body)).toEqual([
      { messaging_product: 'whatsapp', type: 'template', to: '393331234567', template: { name: 'reply_waiting', language: { code: 'it', policy: 'deterministic' } } },
    ]);
    template = undefined;
  });

  it.each([
    ['error-130429.json', 429, true],
    ['error-131056.json', 400, true],
    ['error-80007.json', 400, true],
    ['error-131026.json', 400, false],
    ['error-190.json', 401, false],
  ])('maps %s (HTTP %s) to retryable %s', async (file, status, retryable) => {
    const body = fixtureText(`whatsapp/api-responses/${file}`);
    fake.failNext('/messages', Number(status), body);
    // Its own adapter: a throughput error pauses every later send of that adapter.
    const r = await make().send('393331234567', { text: 'Hi' }, ctx);
    const code = (JSON.parse(body) as { error: { code: number } }).error.code;
    expect(r).toMatchObject({ ok: false, retryable, error: expect.stringContaining(String(code)) });
  });

  it('maps 131047 (window closed, said by the platform) to held', async () => {
    fake.failNext('/messages', 400, fixtureText('whatsapp/api-responses/error-131047.json'));
    expect(await wa.send('393331234567', { text: 'Hi' }, ctx)).toMatchObject({ ok: false, retryable: false, outsideWindow: true });
  });

  it('maps a non-JSON 5xx to retryable', async () => {
    fake.failNext('/messages', 503, '<html>Service Unavailable</html>', 'text/html');
    expect(await wa.send('393331234567', { text: 'Hi' }, ctx)).toMatchObject({ ok: false, retryable: true });
  });
});

describe('RateLimiter', () => {
  it('keeps to the overall rate and, after a burst of 3, to one message per second per chat', async () => {
    let t = 0;
    const sent: { at: number; to: string }[] = [];
    const limiter = new RateLimiter(
      { perSecond: 30, perAddress: 1 },
      () => t,
      async (ms) => void (t += ms),
    );
    for (let i = 0; i < 90; i++) {
      (await limiter.take(`chat${i % 45}`))();
      sent.push({ at: t, to: `chat${i % 45}` });
    }
    // 90 messages at 30/s: about 3 seconds.
    expect(t).toBeGreaterThanOrEqual(2900);
    for (let i = 0; i < sent.length; i++) {
      const window = sent.filter((s) => s.at > sent[i]!.at - 1000 && s.at <= sent[i]!.at);
      expect(window.length).toBeLessThanOrEqual(30);
    }
    const perChat = new Map<string, number[]>();
    for (const s of sent) perChat.set(s.to, [...(perChat.get(s.to) ?? []), s.at]);
    for (const times of perChat.values()) for (let i = 3; i < times.length; i++) expect(times[i]! - times[0]!).toBeGreaterThanOrEqual((i - 2) * 1000 - 1);
  });

  it('reaches the full rate (a sliding window, nothing held back) and no one-second window holds more', async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 100 },
      () => t,
      async (ms) => void (t += ms),
    );
    const at: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const done = await limiter.take(`chat${i}`);
      at.push(t);
      t += 1; // each request takes a millisecond
      done();
    }
    // 1,000 at 100/s: ten seconds (evenly spaced); each send a second after the answer 100 sends before.
    expect(t).toBeLessThanOrEqual(10_000 + 100);
    for (let i = 100; i < at.length; i++) expect(at[i]! - (at[i - 100]! + 1)).toBeGreaterThanOrEqual(1000);
  });

  it('counts a slow request from its answer: a place is free a second after the answer came back', async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 2 },
      () => t,
      async (ms) => void (t += ms),
    );
    const first = await limiter.take('a'); // t = 0, place 1 of 2
    (await limiter.take('b'))(); // evenly spaced: t = 500, place 2 of 2, answered at once
    expect(t).toBe(500);
    t = 600; // the first request's answer comes back 600 ms after it left
    first();
    (await limiter.take('c'))(); // place 1 again: a second after the first answer, not after its start
    expect(t).toBe(1600);
    await limiter.take('d'); // place 2 (free since 1500; spaced to 2100): its request never answers
    expect(t).toBe(2100);
    (await limiter.take('e'))(); // place 1: free at 2600
    expect(t).toBe(2600);
    // Place 2 is held by the request still in flight: the next send waits for it (up to a minute).
    (await limiter.take('f'))();
    expect(t).toBeGreaterThanOrEqual(2100 + 60_000);
  });

  it("books a place ahead and prepares meanwhile: the mark is not added to the place's second", async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 2 },
      () => t,
      async (ms) => void (t += ms),
    );
    const prepared: number[] = [];
    // A prepare that takes 30 ms of the clock (the database write of the "in flight" mark).
    const prepare = async () => {
      prepared.push(t);
      t += 30;
    };
    (await limiter.take('a', true, prepare))(); // place 1, at once (the mark: 0 → 30)
    expect(t).toBe(30);
    (await limiter.take('b', true, prepare))(); // place 2: spaced to 500; booked ahead, the mark runs before
    expect(t).toBe(500);
    expect(prepared[1]).toBeLessThan(500);
    expect(prepared[1]).toBeGreaterThanOrEqual(500 - MAX_LEAD_MS);
    (await limiter.take('c', true, prepare))(); // place 1 again: a second after its answer (30), not after 30 + the mark
    expect(t).toBe(1030);
  });

  it('a reply never waits behind places booked ahead: it takes the earliest, and that send is booked again at the next place', async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 2 },
      () => t,
      async (ms) => void (t += ms),
    );
    const prepare = async () => void (t += 30);
    (await limiter.take('a', true, prepare))(); // place 1 at 0, answered at 30
    let preparedAt = -1;
    let replyAt = -1;
    const b = await limiter.take('b', true, async () => {
      preparedAt = t; // place 2 is booked at 500 (spacing), prepared ahead of it
      // A reply comes while the broadcast's send waits for its booked place: it takes that place.
      const reply = await limiter.take('person');
      replyAt = t;
      reply();
    });
    expect(preparedAt).toBeLessThan(500);
    expect(preparedAt).toBeGreaterThanOrEqual(500 - MAX_LEAD_MS);
    expect(replyAt).toBe(500);
    // The broadcast's send went to the next place: a second after place 1's answer (30).
    expect(t).toBe(1030);
    b();
    // The window still holds (the reply's place is free a second after its answer, at 1500) and the
    // sends stay evenly spaced: half a second after the moved send.
    (await limiter.take('c', true))();
    expect(t).toBe(1530);
  });

  it("a reply waiting for its own chat's token does not hold the broadcast up", async () => {
    // A clock whose timers fire in order (several callers sleep at once here).
    let t = 0;
    const timers: { at: number; fire: () => void }[] = [];
    const limiter = new RateLimiter(
      { perSecond: 10, perAddress: 1, addressBurst: 1 },
      () => t,
      (ms) => new Promise<void>((fire) => timers.push({ at: t + ms, fire })),
    );
    (await limiter.take('person'))(); // the chat's only token, at 0
    let replyAt = -1;
    const reply = limiter.take('person').then((done) => {
      replyAt = t;
      done();
    });
    const bulkAt: number[] = [];
    const bulk = Array.from({ length: 5 }, (_, i) =>
      limiter.take(`s${i}`, true).then((done) => {
        bulkAt.push(t);
        done();
      }),
    );
    const all = Promise.all([reply, ...bulk]);
    let settled = false;
    void all.then(() => (settled = true));
    while (!settled) {
      await new Promise((r) => setImmediate(r));
      timers.sort((x, y) => x.at - y.at);
      const next = timers.shift();
      if (!next) continue;
      t = Math.max(t, next.at);
      next.fire();
    }
    // The broadcast goes on at the channel's rate (every 100 ms) while the reply waits a second for its chat.
    expect(bulkAt).toEqual([100, 200, 300, 400, 500]);
    expect(replyAt).toBeGreaterThanOrEqual(1000);
  });

  it('prepares nothing while the place is held by a send still in flight (its answer may never come)', async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 1 },
      () => t,
      async (ms) => void (t += ms),
    );
    const stuck = await limiter.take('a', true); // never answered (yet)
    let prepared = false;
    const next = limiter.take('b', true, async () => void (prepared = true));
    for (let i = 0; i < 50; i++) await Promise.resolve(); // the booking polls the held place
    t += 2000;
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(prepared).toBe(false);
    t = 2500;
    stuck(); // the answer: the place is free a second later
    (await next)();
    expect(prepared).toBe(true);
    expect(t).toBeGreaterThanOrEqual(3500);
  });

  it('counts fractions of a millisecond: a place is never free even a fraction early', async () => {
    let t = 0.7;
    const limiter = new RateLimiter(
      { perSecond: 1 },
      () => t,
      async (ms) => void (t += ms),
    );
    const first = await limiter.take('a');
    t = 10.9;
    first();
    (await limiter.take('b'))();
    expect(t).toBeGreaterThanOrEqual(1010.9);
  });

  it('a prepare that fails uses up its place and the send is not made', async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 1 },
      () => t,
      async (ms) => void (t += ms),
    );
    await expect(limiter.take('a', true, async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    (await limiter.take('b', true))();
    expect(t).toBeGreaterThanOrEqual(1000);
  });

  it('holds every send while paused (a 429 for the whole bot)', async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 30 },
      () => t,
      async (ms) => void (t += ms),
    );
    (await limiter.take('a'))();
    limiter.pauseFor(3000);
    (await limiter.take('b'))();
    expect(t).toBeGreaterThanOrEqual(3000);
  });

  it('keeps phone numbers and chat ids out of stored errors', () => {
    expect(scrubNumbers('whatsapp 100: Invalid parameter: 393331234567 and +39 333 123 4567')).toBe('whatsapp 100: Invalid parameter: … and …');
  });

  it('paces many messages to one chat: 3 at once, then one per second', async () => {
    let t = 0;
    const limiter = new RateLimiter(
      { perSecond: 30, perAddress: 1 },
      () => t,
      async (ms) => void (t += ms),
    );
    const at: number[] = [];
    for (let i = 0; i < 6; i++) {
      (await limiter.take('one'))();
      at.push(t);
    }
    expect(at[2]).toBeLessThan(100);
    expect(at[3]).toBeGreaterThanOrEqual(900);
    expect(at[5]! - at[3]!).toBeGreaterThanOrEqual(1999);
  });
});
