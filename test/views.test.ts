/**
 * The staff pages' view modules render from plain data alone: no app, no database, no request. Each
 * test builds the data a route handler would have loaded and checks escaping, language attributes
 * and a key label.
 */
import { html } from 'hono/html';
import { describe, expect, it } from 'vitest';
import { draftBody, eventFormBody, eventListBody, previewBody, spaceFormBody } from '../src/broadcast/portal-views.js';
import { linkBody } from '../src/broadcast/link-views.js';
import { portalShell } from '../src/broadcast/portal-layout.js';
import { posterIndexPage, posterPage } from '../src/broadcast/poster-views.js';
import type { Broadcast } from '../src/storage/broadcast-store.js';
import { consoleLayout, conversationBody, queueBody, type ConsoleFrame, type ConversationPageView } from '../src/handoff/console-views.js';
import type { HandoffCase } from '../src/storage/handoff-store.js';
import type { StoredMessage } from '../src/storage/store.js';
import { dashboardPage, type DashboardView } from '../src/insights/dashboard-views.js';
import type { Chart, SectionId } from '../src/insights/queries.js';
import { translationsView, type TranslationsView } from '../src/knowledge/translations-views.js';
import { chatManifest, chatPage, type ChatWords } from '../src/web/chat-views.js';
import { loginPage } from '../src/web/login-views.js';
import { consoleStrings, insightsText as uiStrings, portalText as portalStrings } from '../src/i18n/staff-strings.js';

const evil = '<script>alert(1)</script>';

describe('insights dashboard view', () => {
  const gaps: Chart = {
    id: 'gaps',
    kind: 'gaps',
    columns: ['Language', 'Question', 'People', 'Asks', 'Last asked', 'Status'],
    rows: [{ label: 'Arabic', cells: [{ t: 'text', v: evil }] }],
    gaps: [{ id: 'g1', langCode: 'ar', language: 'Arabic', text: evil, translation: null, people: 6, asks: 9, lastAsked: '2026-11-30', handled: false, cleared: false }],
  };
  const totals: Chart = { id: 'reach_totals', kind: 'stats', columns: ['', 'Value'], rows: [{ label: 'People', cells: [{ t: 'n', v: 12 }] }] };
  const data: Record<SectionId, Chart[]> = { reach: [totals], questions: [gaps], spaces: [], incubation: [], handoff: [] };
  const view = (ui: 'en' | 'it'): DashboardView => ({
    sel: { period: '30d', scope: { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), timezone: 'UTC' }, ui, badDates: false, query: `period=30d&ui=${ui}` },
    k: 5,
    timezone: 'UTC',
    data,
    values: { channels: ['telegram'], languages: ['ar'], districts: [`Centro ${evil}`] },
    viewer: { csrf: 'tok"en', here: '/insights' },
  });

  it('escapes user text, marks its language and labels the actions', async () => {
    const page = String(await dashboardPage(view('en'), uiStrings('en')));
    expect(page).toContain('<html lang="en">');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<span lang="ar" dir="auto">');
    expect(page).toContain('>Mark handled</button>');
    expect(page).toContain('value="tok&quot;en"');
    expect(page).toContain('2026-11-01');
  });

  it('speaks the staff language it is given', async () => {
    const page = String(await dashboardPage(view('it'), uiStrings('it')));
    expect(page).toContain('<html lang="it">');
    expect(page).toContain(uiStrings('it')('title'));
    expect(page).not.toContain('>Mark handled</button>');
  });
});

describe('translations view', () => {
  const v: TranslationsView = {
    lang: 'en',
    csrf: 'tok',
    filters: { lang: 'ar', status: 'machine' },
    counts: { machine: 1, reviewed: 0, rejected: 0 },
    rows: [
      {
        translation: { id: 7, ref: 'space:s1', field: 'description', lang: 'ar', sourceLang: 'en', sourceHash: 'h', sourceText: 'Open 9-18', text: evil, status: 'machine', createdAt: new Date(0) },
        label: `Space ${evil}`,
        stale: true,
        differ: '9, 18',
      },
    ],
    missing: [{ record: { ref: 'event:e1', label: 'Fair', fields: {} }, field: 'title', source: { lang: 'en', text: 'Fair' } }],
    done: 'approve',
    check: true,
  };

  it('escapes user text, sets lang and dir, and labels the actions', async () => {
    const page = String(await translationsView(v, { account: { email: 'c@example.org', role: 'coordinator' }, here: '/translations' }));
    expect(page).toContain('<html lang="en">');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(page).toContain('<textarea name="text" lang="ar" dir="rtl">');
    expect(page).toContain('value="approve">Approve</button>');
    expect(page).toContain('class="stale"');
    expect(page).toContain('⚠️ numbers or links differ from the source: 9, 18');
    expect(page).toContain('Approved. Numbers or links differ');
    expect(page).toContain('data-missing="event:e1|title"');
  });
});

describe("facilitators' console views", () => {
  const { s } = consoleStrings('en');
  const at = new Date('2026-12-01T10:00:00Z');
  const kase: HandoffCase = {
    id: 3,
    personId: 'p1',
    channel: 'telegram',
    status: 'waiting',
    priority: 1,
    reason: 'asked for a person',
    note: null,
    ownerId: null,
    ownerEmail: null,
    outcome: null,
    safetySent: false,
    createdAt: at,
    claimedAt: null,
    closedAt: null,
  };
  const message: StoredMessage = {
    id: 11,
    personId: 'p1',
    direction: 'in',
    channel: 'telegram',
    externalId: null,
    author: 'person',
    body: { type: 'text', text: evil },
    status: 'received',
    error: null,
    inReplyTo: null,
    createdAt: at,
    partsSent: 0,
  };
  const frame: ConsoleFrame = { lang: 'en', account: { email: 'f@example.org', role: 'facilitator' }, csrf: 'tok', here: '/console' };

  it("renders the queue with the person's text escaped and a claim button", async () => {
    const body = queueBody({ entries: [{ kase, language: 'ar', last: [message], labels: new Map(), card: { title: evil, fields: [] } }], now: at, alertMinutes: 10, canClaim: true, csrf: 'tok' }, s);
    const page = String(await consoleLayout(frame, s, s.queue, body));
    expect(page).toContain('<html lang="en">');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<div class="snippet">&lt;script&gt;alert(1)&lt;/script&gt;</div>');
    expect(page).toContain('<td>Arabic</td>');
    expect(page).toContain('<button class="claim">Claim</button>');
    expect(page).toContain('<input type="hidden" name="_csrf" value="tok">');
  });

  it('renders a conversation for a coordinator as view-only, with auto text direction', async () => {
    const v: ConversationPageView = {
      person: { id: 'p1', language: 'ar', languageSource: 'detected', consents: {}, unreachable: false, createdAt: at, lastSeenAt: at, lastInboundAt: at },
      lang: 'ar',
      staffLang: 'en',
      channel: 'whatsapp',
      windowOpen: true,
      open: kase,
      history: [message],
      labels: new Map(),
      users: new Map(),
      translations: new Map([[11, `hello ${evil}`]]),
      notes: [],
      canned: [],
      reassignTo: [],
      canAct: false,
      canReply: false,
      llmOn: true,
      lostClaim: false,
      csrf: 'tok',
    };
    const page = String(await conversationBody(v, s));
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<div class="text" dir="auto">&lt;script&gt;alert(1)&lt;/script&gt;</div>');
    expect(page).toContain('⇄ hello &lt;script&gt;');
    expect(page).toContain('<dd>Arabic (ar, detected)</dd>');
    expect(page).toContain(`<p>${s.viewOnly}</p>`);
    expect(page).not.toContain('id="reply"');
  });
});

describe('staff portal broadcast views', () => {
  const ui = portalStrings('en');
  const b: Broadcast = {
    id: 4,
    spaceId: 's1',
    createdBy: 'staff:1',
    kind: 'announcement',
    eventId: null,
    audience: { spaces: ['s1'] },
    messages: { text: { en: evil } },
    status: 'draft',
    scheduledAt: null,
    createdAt: new Date(0),
    startedAt: null,
    finishedAt: null,
  };

  it('previews each language with its direction, the text escaped, and the send action', async () => {
    const preview = previewBody(ui, [{ lang: 'ar', dir: 'rtl', text: evil, choices: ['Yes <b>'], shownIn: 'en', templateParam: undefined }], {});
    const page = String(await draftBody(ui, { b, audience: 'followers', counts: [{ channel: 'telegram', lang: 'ar', people: 2 }], noChannel: false, preview, csrf: 'tok' }));
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<div dir="auto">&lt;script&gt;alert(1)&lt;/script&gt;</div>');
    expect(page).toContain('<div class="bubble" dir="rtl" data-lang="ar">');
    expect(page).toContain('<span class="btn">Yes &lt;b&gt;</span>');
    expect(page).toContain(`id="send-now">${ui('b.sendNow')}</button>`);
    expect(page).toContain('<span id="reach">2</span>');
  });

  it('renders the space card form with each description in its language and the warnings', async () => {
    const page = String(
      await spaceFormBody(ui, {
        space: { id: 's1', name: `Hub ${evil}` },
        errors: {},
        canDraft: false,
        differ: { ar: '10' },
        csrf: 'tok',
        values: { hours: 'Mo-Fr 09:00-18:00', services: ['wifi'], languages: 'it, en', priceNote: '', sourceLang: 'en', descriptions: { en: 'Open 10 desks', ar: evil }, machine: ['ar'] },
      }),
    );
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('Hub &lt;script&gt;');
    expect(page).toContain('<textarea name="description_ar" rows="2" lang="ar" dir="auto">&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(page).toContain('data-warn="description_ar"');
    expect(page).toContain('id="space-offline-note"');
  });

  it('renders the events list and the event form from plain values', async () => {
    const list = String(
      await eventListBody(ui, {
        space: { id: 's1', name: 'Hub' },
        events: [{ id: 'staff-1', title: evil, when: 'Mon 1 Dec, 10:00' }],
        saved: true,
        cancelled: false,
        csrf: 'tok',
      }),
    );
    expect(list).not.toContain('<script>alert');
    expect(list).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(list).toContain(`>${ui('events.saved')}</p>`);
    const form = String(
      await eventFormBody(ui, {
        action: '/staff/events/new?space=s1',
        errors: {},
        canDraft: true,
        csrf: 'tok',
        spaceName: 'Hub',
        differ: { title: {}, description: { ar: '5' } },
        sourceSwitch: '/staff/events/new',
        values: { spaceId: 's1', sourceLang: 'en', title: { en: 'Fair', ar: evil }, description: { ar: 'x' }, date: '', start: '', end: '', price: 'free', topics: [], languages: ['en'], machine: [] },
      }),
    );
    expect(form).not.toContain('<script>alert');
    expect(form).toContain(`name="title_ar" value="&lt;script&gt;alert(1)&lt;/script&gt;" maxlength="120" lang="ar" dir="auto"`);
    expect(form).toContain('data-warn="description_ar"');
    expect(form).toContain('id="draft-button"');
    expect(form).toContain('<b>Hub</b>');
  });

  it('frames a portal page in the staff shell in the staff language, with the navigation of the role', async () => {
    const page = String(await portalShell({ lang: 'it', account: { email: 'c@example.org', role: 'coordinator' }, csrf: 'tok', here: '/staff' }, 'Messaggi', html`<p>body</p>`));
    expect(page).toContain('<html lang="it">');
    expect(page).toContain('href="/staff/space"');
    expect(page).toContain('Spazi');
    expect(page).not.toContain('Il mio spazio');
  });
});

describe('poster and Telegram link views', () => {
  const space = { id: 's1', name: evil, address: 'Via <b>Roma</b> 1' };

  it('renders a poster with the name escaped, both QR codes, and each language in its direction', async () => {
    const links = { telegram: 'https://t.me/Bot?start=space_s1', whatsapp: 'https://wa.me/39333?text=space_s1', missing: [] };
    const ask = [
      { lang: 'en', dir: 'ltr' as const, text: 'Ask in your language' },
      { lang: 'ar', dir: 'rtl' as const, text: 'اسأل <بلغتك>' },
    ];
    const page = String(await posterPage({ space, links, ask }));
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<title>Poster · &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1><p class="address">Via &lt;b&gt;Roma&lt;/b&gt; 1</p>');
    expect(page).toContain('<div class="code"><h2>Telegram</h2><img src="/staff/poster/s1/telegram.svg" alt="QR code: https://t.me/Bot?start=space_s1">');
    expect(page).toContain('<a href="/staff/poster/s1/whatsapp.svg" download="whatsapp-s1.svg">WhatsApp QR (SVG)</a>');
    expect(page).toContain('<div lang="ar" dir="rtl">اسأل &lt;بلغتك&gt;</div>');
    expect(page).not.toContain('id="missing"');
  });

  it('says what to set instead of a code that leads nowhere, and lists the spaces escaped', async () => {
    const page = String(await posterPage({ space, links: { missing: ['TELEGRAM_BOT_USERNAME', 'WHATSAPP_DISPLAY_NUMBER'] }, ask: [] }));
    expect(page).toContain('<b>No QR code can be printed yet for: </b>set TELEGRAM_BOT_USERNAME; set WHATSAPP_DISPLAY_NUMBER.');
    expect(page).not.toContain('class="code"');
    const index = String(await posterIndexPage([space]));
    expect(index).toContain('<li><a href="/staff/poster/s1">&lt;script&gt;alert(1)&lt;/script&gt;</a></li>');
  });

  it('shows the code to send, or the button to make one, and the unlink form only when a chat is linked', async () => {
    const withCode = String(await linkBody({ code: 'AB12CD34', bot: 'Bot', csrf: 'tok' }));
    expect(withCode).toContain('<a href="https://t.me/Bot">@Bot</a> within 10 minutes');
    expect(withCode).toContain('<code id="link-code">/link AB12CD34</code>');
    expect(withCode).toContain('No chat is linked.');
    expect(withCode).not.toContain('id="unlink"');
    const linked = String(await linkBody({ linkedAt: new Date('2026-01-01T10:01:30Z'), csrf: '"tok"' }));
    expect(linked).toContain('A chat is linked since 2026-01-01 10:01 UTC.');
    expect(linked).toContain('<input type="hidden" name="_csrf" value="&quot;tok&quot;"><button class="primary" id="make-code">Make a code</button>');
    expect(linked).toContain('<button id="unlink">Unlink the chat</button>');
  });
});

describe('login and web chat views', () => {
  it('renders the login form with the token and the next path escaped, and says why the last try failed', async () => {
    const page = String(await loginPage({ csrf: 'tok"en', next: `/console?x="${evil}"` }));
    expect(page).toContain('<html lang="en">');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<input type="hidden" name="_csrf" value="tok&quot;en"><input type="hidden" name="next" value="/console?x=&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;">');
    expect(page).toContain('<button type="submit">Log in</button>');
    expect(page).not.toContain('role="alert"');
    expect(String(await loginPage({ csrf: 't', next: '/', error: 'rate_limited' }))).toContain('<p class="error" role="alert">Too many failed attempts. Wait 15 minutes and try again.</p>');
    expect(String(await loginPage({ csrf: 't', next: '/', error: 'invalid' }))).toContain('<p class="error" role="alert">Wrong email or password.</p>');
  });

  it('renders the chat page in the language and direction it is given, with its words escaped', async () => {
    const w: ChatWords = { title: `Chat ${evil}`, tagline: 'Find a desk', conversation: 'Conversation', message: 'Message', placeholder: 'Write "here"', send: 'Send', locate: 'Share location' };
    const page = String(await chatPage('ar', w));
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<title data-ui="title">Chat &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page).toContain('<link rel="manifest" href="/manifest.webmanifest?lang=ar">');
    expect(page).toContain('placeholder="Write &quot;here&quot;" data-ui-placeholder="placeholder"');
    expect(page).toContain('<button type="submit" id="send" data-ui="send">Send</button>');
    expect(String(await chatPage('it', w))).toContain('<html lang="it" dir="ltr">');
    expect(chatManifest('fa', w)).toMatchObject({ name: w.title, lang: 'fa', dir: 'rtl', start_url: '/' });
  });
});
