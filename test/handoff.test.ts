import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerType } from '@hono/node-server';
import { createApp, type App } from '../src/app.js';
import type { ChannelAdapter, SendResult } from '../src/channels/channel.js';
import { whatsappCapabilities } from '../src/channels/channel.js';
import type { ChannelName, InboundContent, OutboundMessage } from '../src/core/types.js';
import { authRoutes, handoffConsole } from '../src/handoff/console.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HandoffAlerts, telegramAlertSink } from '../src/handoff/alerts.js';
import { FacilitatorHours } from '../src/handoff/hours.js';
import { detectSafety } from '../src/handoff/safety.js';
import { verifyPassword } from '../src/web/auth.js';
import { serveApp } from './browser.js';
import { addAccount, login, type StaffClient } from './console-helpers.js';
import { testConfig } from './helpers.js';

/** A WhatsApp adapter that refuses free text while `windowOpen` is false, as the Cloud API does. */
class FakeWhatsApp implements ChannelAdapter {
  readonly name = 'whatsapp' as const;
  readonly capabilities = whatsappCapabilities;
  windowOpen = false;
  readonly sent: OutboundMessage[] = [];
  async send(_address: string, msg: OutboundMessage): Promise<SendResult> {
    if (!this.windowOpen) return { ok: false, retryable: false, outsideWindow: true, error: 'outside the 24-hour window (131047)' };
    this.sent.push(msg);
    return { ok: true, externalId: `wamid.${this.sent.length}` };
  }
}

let n = 0;
const say = (app: App, address: string, content: InboundContent | string, channel: ChannelName = 'web') =>
  app.bot.handle({ channel, address, externalId: `m${++n}`, receivedAt: new Date(), content: typeof content === 'string' ? { type: 'text', text: content } : content });
const texts = (r: { replies: OutboundMessage[] }) => r.replies.map((m) => m.text ?? '').join('\n');

describe('human handoff', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  const wa = new FakeWhatsApp();
  let anna: StaffClient;
  let bruno: StaffClient;
  let annaId: number;

  beforeAll(async () => {
    // Facilitators always on duty, so the honest message is the in-hours one (hours are tested apart).
    // One trusted proxy: the login helper's X-Forwarded-For is the client address (per-address limits).
    app = await createApp({ config: testConfig({ HANDOFF_HOURS: '24/7', TRUSTED_PROXIES: '1' }), db: { kind: 'memory' }, embeddedQueue: true, channels: [wa] });
    await app.start(2);
    ({ url, server } = await serveApp(app, [authRoutes(app), handoffConsole(app)]));
    annaId = await addAccount(app, 'anna@example.org', 'facilitator');
    await addAccount(app, 'bruno@example.org', 'facilitator');
    await addAccount(app, 'carla@example.org', 'staff', 'correct horse battery', 'millepiani');
    await addAccount(app, 'dora@example.org', 'coordinator');
    anna = (await login(url, 'anna@example.org')).client!;
    bruno = (await login(url, 'bruno@example.org')).client!;
  });
  afterAll(async () => {
    server.close();
    await app.close();
  });

  it('stores passwords only as salted scrypt hashes', async () => {
    const rows = await app.db.query<{ email: string; password_hash: string }>(`SELECT email, password_hash FROM staff_users`);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect(r.password_hash).not.toContain('correct horse battery');
    }
    expect(new Set(rows.map((r) => r.password_hash)).size).toBe(rows.length); // salted: same password, different hashes
    expect(await verifyPassword('correct horse battery', rows[0]!.password_hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', rows[0]!.password_hash)).toBe(false);
    const sessions = await app.db.query<{ token_hash: string }>(`SELECT token_hash FROM staff_sessions`);
    expect(anna.cookie).not.toContain(sessions[0]!.token_hash);
  });

  it('the human command opens a case, tells the person honestly, and the bot falls silent', async () => {
    const first = await say(app, 'w_silentsilentsilentsilent', 'human');
    expect(first.handoff).toBe(true);
    expect(texts(first)).toContain('A person from our team will answer you here');
    expect(texts(first)).toContain('You can keep writing');
    const next = await say(app, 'w_silentsilentsilentsilent', 'where is a coworking space?');
    expect(next.replies).toEqual([]);
    // Allowed commands still work while waiting.
    const lang = await say(app, 'w_silentsilentsilentsilent', { type: 'choice', id: 'cmd:language' });
    expect(lang.replies[0]!.choices!.length).toBe(16);
  });

  it('offers a person after two unanswered questions in a row (not forced)', async () => {
    const a = 'w_missesmissesmissesmisse';
    await say(app, a, 'English'); // an explicit language: gibberish is not re-detected as another one
    const one = await say(app, a, 'qwerty zxcvb asdf');
    // The first miss is a clarifying question: a person and "Shape my idea" are always among its buttons.
    expect(texts(one)).toMatch(/not sure I understood|did not understand/);
    expect(texts(one)).not.toContain('Do you want to talk to a person?');
    expect(one.replies.at(-1)!.choices!.map((c) => c.id)).toEqual(expect.arrayContaining(['cmd:human', 'flow:incubation']));
    expect(one.handoff).toBe(false);
    const two = await say(app, a, 'plmokn ijbuhv');
    expect(texts(two)).toContain('Do you want to talk to a person?');
    expect(two.replies[0]!.choices!.map((c) => c.id)).toContain('cmd:human');
    expect(two.handoff).toBe(false);
  });

  it("a safety message jumps the queue and gets the emergency numbers at once, in the person's language", async () => {
    const cases = [
      { address: 'w_safetyENsafetyENsafetyEN', text: 'my boss took my passport and does not pay me', expect: 'call these free numbers' },
      { address: 'w_safetyARsafetyARsafetyAR', text: 'صاحب العمل يهددني ولا يدفع لي', expect: 'اتصلوا بهذه الأرقام' },
      { address: 'w_safetyUKsafetyUKsafetyUK', text: 'Мені погрожують, я боюся, допоможіть', expect: 'телефонуйте' },
      { address: 'w_safetyITsafetyITsafetyIT', text: 'Il mio datore di lavoro mi minaccia e non mi paga', expect: 'chiama questi numeri' },
    ];
    for (const c of cases) {
      const r = await say(app, c.address, c.text);
      const all = texts(r);
      expect(all, c.text).toContain(c.expect);
      for (const number of ['112', '1522', '800 290 290']) expect(all).toContain(number);
      expect(r.handoff).toBe(true);
    }
    const queue = await app.handoff.cases.queue();
    const waiting = queue.filter((k) => k.status === 'waiting');
    // The earlier plain request is behind every safety case.
    const silentIdx = waiting.findIndex((k) => k.reason === 'asked');
    expect(silentIdx).toBeGreaterThan(0);
    expect(waiting.slice(0, silentIdx).every((k) => k.reason === 'safety')).toBe(true);
    // The console shows them first, marked.
    const html = await (await anna.get('/console')).text();
    expect(html.indexOf('class="safety')).toBeGreaterThan(0);
    expect(html.indexOf('class="safety')).toBeLessThan(html.indexOf('<td>asked'));
  });

  it('detects safety words and leaves ordinary sentences alone', () => {
    expect(detectSafety('老板扣了我的护照')?.category).toBe('documents');
    expect(detectSafety('می‌خواهم بمیرم')?.category).toBe('selfharm');
    expect(detectSafety('si tratta di un progetto per il mio lavoro')).toBeUndefined();
    expect(detectSafety('I play the violin in a coworking space')).toBeUndefined();
  });

  it('two facilitators racing to claim: exactly one wins', async () => {
    await say(app, 'w_raceracerace_raceracerace', 'talk to a person');
    const person = await app.store.findPerson('web', 'w_raceracerace_raceracerace');
    const kase = (await app.handoff.cases.openCase(person!.id))!;
    const claim = (c: StaffClient) => c.post(`/console/c/${person!.id}/claim`, { case: String(kase.id) }, { accept: 'application/json' });
    const results = await Promise.all([claim(anna), claim(bruno), claim(anna), claim(bruno)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    expect((await app.store.getConversation(person!.id)).mode).toBe('human');
    // Only one claim was recorded as won in the audit log.
    const audit = await app.handoff.accounts.auditEntries({ personId: person!.id });
    expect(audit.filter((e) => e.action === 'claim')).toHaveLength(1);
  });

  it('the owner reassigns a claimed conversation; only the new owner can then reply', async () => {
    await say(app, 'w_reassignreassignreassig', 'operator');
    const person = (await app.store.findPerson('web', 'w_reassignreassignreassig'))!;
    const kase = (await app.handoff.cases.openCase(person.id))!;
    expect((await anna.post(`/console/c/${person.id}/claim`, { case: String(kase.id) })).status).toBe(303);
    const brunoId = (await app.handoff.accounts.credentials('bruno@example.org'))!.account.id;
    expect((await bruno.post(`/console/c/${person.id}/reassign`, { case: String(kase.id), to: String(brunoId) })).status).toBe(409); // not his
    expect((await anna.post(`/console/c/${person.id}/reassign`, { case: String(kase.id), to: String(brunoId) })).status).toBe(303);
    expect((await app.handoff.cases.openCase(person.id))!.ownerId).toBe(brunoId);
    expect((await anna.post(`/console/c/${person.id}/reply`, { case: String(kase.id), text: 'hi' })).status).toBe(409);
    expect((await bruno.post(`/console/c/${person.id}/reply`, { case: String(kase.id), text: 'Hello, I am Bruno.' })).status).toBe(303);
    const notes = await (await bruno.get(`/console/c/${person.id}`)).text();
    expect(notes).toContain('Hello, I am Bruno.');
  });

  it('WhatsApp: a reply outside the 24-hour window is held, shown as held, and sent when the person writes', async () => {
    const address = '393330000001';
    wa.windowOpen = false;
    await say(app, address, 'human', 'whatsapp');
    const person = (await app.store.findPerson('whatsapp', address))!;
    const kase = (await app.handoff.cases.openCase(person.id))!;
    expect((await anna.post(`/console/c/${person.id}/claim`, { case: String(kase.id) })).status).toBe(303);
    // The person's last message is 25 hours old.
    await app.db.query(`UPDATE people SET last_inbound_at = now() - interval '25 hours' WHERE id = $1`, [person.id]);
    const page = await (await anna.get(`/console/c/${person.id}`)).text();
    expect(page).toContain('closed: replies are held');
    expect(page).not.toContain(address); // never the phone number
    expect((await anna.post(`/console/c/${person.id}/reply`, { case: String(kase.id), text: 'Ciao, ti rispondo io.' })).status).toBe(303);
    const reply = async () => (await app.store.history(person.id)).find((m) => m.author === `facilitator:${annaId}`)!;
    await expect.poll(async () => (await reply()).status).toBe('held');
    expect(await (await anna.get(`/console/c/${person.id}`)).text()).toContain('data-status="held"');
    // The person writes again: the window opens, the held reply goes out; the bot stays silent.
    wa.windowOpen = true;
    const again = await say(app, address, 'hello?', 'whatsapp');
    expect(again.replies).toEqual([]);
    await expect.poll(async () => (await reply()).status).toBe('sent');
    expect(wa.sent.map((m) => m.text)).toContain('Ciao, ti rispondo io.');
    expect(await (await anna.get(`/console/c/${person.id}`)).text()).toContain('open: free text reaches the person');
  });

  it("alerts the facilitators' Telegram group once about conversations unclaimed too long (no personal data)", async () => {
    const calls: { path: string; body: { chat_id: string; text: string } }[] = [];
    const tg = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        calls.push({ path: req.url ?? '', body: JSON.parse(raw) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":{}}');
      });
    });
    await new Promise<void>((r) => tg.listen(0, '127.0.0.1', () => r()));
    try {
      const config = testConfig({ TELEGRAM_BOT_TOKEN: '123:ABC', HANDOFF_TELEGRAM_CHAT_ID: '-100777', TELEGRAM_API_ROOT: `http://127.0.0.1:${(tg.address() as AddressInfo).port}` });
      const alerts = new HandoffAlerts(app.handoff.cases, telegramAlertSink(config)!, { alertMinutes: 10, clock: app.clock, log: app.log, consoleUrl: 'https://bot.example.org/console' });
      await say(app, 'w_alertalertalertalertale', 'human');
      const person = (await app.store.findPerson('web', 'w_alertalertalertalertale'))!;
      expect(await alerts.check()).toBe(0); // just arrived
      await app.db.query(`UPDATE handoff_cases SET created_at = now() - interval '11 minutes' WHERE person_id = $1`, [person.id]);
      expect(await alerts.check()).toBeGreaterThanOrEqual(1);
      expect(await alerts.check()).toBe(0); // once per case
      expect(calls).toHaveLength(1);
      expect(calls[0]!.path).toBe('/bot123:ABC/sendMessage');
      expect(calls[0]!.body.chat_id).toBe('-100777');
      expect(calls[0]!.body.text).toContain('waiting more than 10 min');
      expect(calls[0]!.body.text).toContain('https://bot.example.org/console');
      expect(calls[0]!.body.text).not.toContain(person.id);
    } finally {
      tg.close();
    }
  });

  it('role checks: staff cannot open the console, coordinators only view, logged-out requests are refused', async () => {
    const carla = (await login(url, 'carla@example.org')).client!;
    expect((await carla.get('/console')).status).toBe(403);
    const dora = (await login(url, 'dora@example.org')).client!;
    expect((await dora.get('/console')).status).toBe(200);
    const person = (await app.store.findPerson('web', 'w_silentsilentsilentsilent'))!;
    const kase = (await app.handoff.cases.openCase(person.id))!;
    expect((await dora.post(`/console/c/${person.id}/claim`, { case: String(kase.id) })).status).toBe(403);
    const anon = await fetch(`${url}/console`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/login?next=%2Fconsole');
    expect((await fetch(`${url}/console/c/${person.id}`, { headers: { accept: 'application/json' } })).status).toBe(401);
    expect((await anna.get('/console/users')).status).toBe(403); // admin only
  });

  it('CSRF: a state-changing request without the right token is refused', async () => {
    const person = (await app.store.findPerson('web', 'w_silentsilentsilentsilent'))!;
    const kase = (await app.handoff.cases.openCase(person.id))!;
    expect((await anna.post(`/console/c/${person.id}/claim`, { case: String(kase.id) }, { csrf: null })).status).toBe(403);
    expect((await anna.post(`/console/c/${person.id}/claim`, { case: String(kase.id) }, { csrf: bruno.csrf })).status).toBe(403);
    expect((await app.handoff.cases.openCase(person.id))!.status).toBe('waiting');
    // The login form has its own token.
    const res = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=anna%40example.org&password=correct+horse+battery' });
    expect(res.status).toBe(403);
  });

  it('rate-limits failed logins per account and address', async () => {
    await addAccount(app, 'eve@example.org', 'facilitator');
    for (let i = 0; i < 5; i++) expect((await login(url, 'eve@example.org', 'wrong password!', '10.9.9.9')).status).toBe(401);
    expect((await login(url, 'eve@example.org', 'correct horse battery', '10.9.9.9')).status).toBe(429);
    // Another address is not blocked by someone else's guesses.
    expect((await login(url, 'eve@example.org', 'correct horse battery', '10.9.9.10')).status).toBe(303);
  });

  it('writes an audit entry for every view and action', async () => {
    const person = (await app.store.findPerson('web', 'w_silentsilentsilentsilent'))!;
    const kase = (await app.handoff.cases.openCase(person.id))!;
    await anna.get(`/console/c/${person.id}`);
    await anna.post(`/console/c/${person.id}/claim`, { case: String(kase.id) });
    await anna.post(`/console/c/${person.id}/note`, { body: 'Asked about spaces near Termini' });
    await anna.post(`/console/c/${person.id}/close`, { case: String(kase.id), outcome: 'referred_space' });
    const actions = (await app.handoff.accounts.auditEntries({ personId: person.id })).filter((e) => e.userId === annaId).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['view', 'claim', 'note', 'close']));
    expect((await app.store.getConversation(person.id)).mode).toBe('bot');
    const closed = (await app.handoff.cases.latestCase(person.id))!;
    expect(closed.outcome).toBe('referred_space');
  });

  it('logout everywhere ends every session of the account', async () => {
    await addAccount(app, 'fabio@example.org', 'facilitator');
    const one = (await login(url, 'fabio@example.org')).client!;
    const two = (await login(url, 'fabio@example.org', 'correct horse battery', '10.0.0.2')).client!;
    expect((await two.get('/console')).status).toBe(200);
    expect((await one.post('/logout-all', {})).status).toBe(303);
    expect((await two.get('/console')).status).toBe(302);
    expect((await one.get('/console')).status).toBe(302);
  });

  it('admins add accounts and canned replies in the console', async () => {
    await addAccount(app, 'root@example.org', 'admin');
    const admin = (await login(url, 'root@example.org')).client!;
    const page = await (await admin.post('/console/users', { email: 'new@example.org', role: 'facilitator', space: '' })).text();
    const password = /id="new-password">([^<]+)</.exec(page)![1]!;
    expect((await login(url, 'new@example.org', password)).status).toBe(303);
    expect((await admin.post('/console/canned', { title: 'Opening hours', text_en: 'We are open Mo-Fr.', text_it: 'Siamo aperti lun-ven.' })).status).toBe(303);
    const canned = await app.handoff.cases.cannedReplies();
    expect(canned.find((c) => c.title === 'Opening hours')!.texts).toEqual({ en: 'We are open Mo-Fr.', it: 'Siamo aperti lun-ven.' });
    // The seeded ones exist in all 16 languages.
    expect(Object.keys(canned[0]!.texts)).toHaveLength(16);
  });
});

describe('facilitator hours', () => {
  it("says when the team answers next, in the person's language", () => {
    const hours = new FacilitatorHours('Mo-Fr 09:00-18:00', 'Europe/Rome');
    expect(hours.status(new Date('2026-11-24T10:00:00Z')).open).toBe(true); // Tuesday 11:00 in Rome
    const sat = hours.status(new Date('2026-11-28T12:00:00Z'));
    expect(sat.open).toBe(false);
    expect(FacilitatorHours.formatNext(sat.nextOpen!, 'en')).toBe('Monday 09:00');
    expect(FacilitatorHours.formatNext(sat.nextOpen!, 'it')).toBe('lunedì 09:00');
    expect(FacilitatorHours.formatNext(sat.nextOpen!, 'ar')).toContain('الاثنين');
    const evening = hours.status(new Date('2026-11-24T17:30:00Z')); // 18:30 in Rome
    expect(FacilitatorHours.formatNext(evening.nextOpen!, 'en')).toBe('Wednesday 09:00');
  });
});
