/**
 * The staff portal's space card and events over HTTP with real sessions and CSRF: staff edit only
 * their own space (another space answers 404), field errors shown in the form, events created,
 * edited, cancelled and broadcast, translation drafts from a local fake model (and the offline note
 * without one), and the Italian portal.
 */
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { staffPortal } from '../src/broadcast/portal.js';
import { FixedClock } from '../src/clock.js';
import { authRoutes } from '../src/web/auth.js';
import { serveApp } from './browser.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';
import { fakeTranslator, portalClient, type PortalClient } from './staff-support.js';

/** The space form as a staff member sends it, with the opening hours given. */
const spaceForm = (hours: string): [string, string][] => [
  ['hours', hours],
  ['services', 'wifi'],
  ['services', 'childcare'],
  ['languages', 'it, en, ar'],
  ['price_note', 'Gratis il primo giorno.'],
  ['source_lang', 'it'],
  ['description_it', 'Uno spazio con asilo.'],
];

const NOW = new Date('2026-11-26T10:00:00+01:00');

const eventForm = (over: Record<string, string> = {}, extra: [string, string][] = []): [string, string][] => [
  ...Object.entries({
    source_lang: 'it',
    title_it: 'Ciclofficina aperta',
    description_it: 'Porta la tua bici alle 18:00.',
    date: '2026-11-27',
    start: '18:00',
    end: '20:00',
    price: 'free',
    action: 'save',
    ...over,
  }),
  ['topics', 'culture'],
  ['languages', 'it'],
  ['languages', 'en'],
  ...extra,
];

async function serve(env: Record<string, string> = {}): Promise<{ app: App; url: string; server: ServerType }> {
  const app = await createApp({ config: testConfig(env), db: { kind: 'memory' }, embeddedQueue: true, clock: new FixedClock(NOW) });
  const { url, server } = await serveApp(app, [authRoutes(app), staffPortal(app)]);
  return { app, url, server };
}

describe('staff portal: space card and events (offline)', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let mine: PortalClient;
  let other: PortalClient;
  let coordinator: PortalClient;

  beforeAll(async () => {
    ({ app, url, server } = await serve());
    await addAccount(app, 'staff@millepiani.example', 'staff', undefined, 'millepiani');
    await addAccount(app, 'staff@hub.example', 'staff', undefined, 'impact_hub_roma');
    await addAccount(app, 'coord@example.org', 'coordinator');
    mine = await portalClient(url, 'staff@millepiani.example');
    other = await portalClient(url, 'staff@hub.example');
    coordinator = await portalClient(url, 'coord@example.org');
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await app.close();
  });

  it('staff open and edit only their own space card; field errors are shown in the form', async () => {
    const own = await mine.get('/staff/space');
    expect(own.status).toBe(302);
    expect(own.headers.get('location')).toBe('/staff/space/millepiani');
    expect(await (await mine.get('/staff/space/millepiani')).text()).toContain('Mo-Fr 09:30-19:30');
    expect((await mine.get('/staff/space/impact_hub_roma')).status).toBe(404);
    expect((await mine.post('/staff/space/impact_hub_roma', { hours: 'Mo-Su 00:00-24:00', source_lang: 'it' })).status).toBe(404);
    expect(app.knowledge.space('impact_hub_roma')!.hours).toBe('Mo-Fr 09:00-20:00');
    expect((await coordinator.get('/staff/space/impact_hub_roma')).status).toBe(200);

    const bad = await mine.post('/staff/space/millepiani', [
      ['hours', 'Mo-Fr 9-'],
      ['services', 'wifi'],
      ['languages', 'it, english'],
      ['source_lang', 'it'],
      ['description_it', 'Uno spazio.'],
    ]);
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toMatch(/data-field="hours"[^>]*>not valid opening_hours syntax/);
    expect(page).toMatch(/data-field="languages"[^>]*>&quot;english&quot; is not an ISO 639-1/);
    expect(page).toContain('value="Mo-Fr 9-"'); // what was typed stays in the form
    expect(app.knowledge.space('millepiani')!.hours).toBe('Mo-Fr 09:30-19:30');

    const ok = await mine.post('/staff/space/millepiani', spaceForm('Mo-Sa 08:00-21:00'));
    expect(ok.status).toBe(303);
    expect(app.knowledge.space('millepiani')).toMatchObject({ hours: 'Mo-Sa 08:00-21:00', services: ['wifi', 'childcare'], languages: ['it', 'en', 'ar'], priceNote: 'Gratis il primo giorno.' });
    expect(app.knowledge.space('millepiani')!.descriptions).toEqual({ it: 'Uno spazio con asilo.' });
    // Only changed fields are edits; a field set back to the spreadsheet's value follows the spreadsheet again.
    expect(Object.keys((await app.staffContent.getSpaceEdit('millepiani'))!.edit).sort()).toEqual(['descriptions', 'hours', 'languages', 'priceNote', 'services', 'sourceLang']);
    const back = await mine.post('/staff/space/millepiani', spaceForm('Mo-Fr 09:30-19:30'));
    expect(back.status).toBe(303);
    expect((await app.staffContent.getSpaceEdit('millepiani'))!.edit.hours).toBeUndefined();
    const saved = await mine.post('/staff/space/millepiani', spaceForm('Mo-Sa 08:00-21:00'));
    expect(saved.status).toBe(303);
    // Without the CSRF token nothing changes.
    expect((await mine.post('/staff/space/millepiani', { hours: 'Mo 10:00-11:00', source_lang: 'it' }, { csrf: null })).status).toBe(403);
    expect(app.knowledge.space('millepiani')!.hours).toBe('Mo-Sa 08:00-21:00');
  });

  it('creates an event (errors shown per field), lists it, and keeps other spaces out of it', async () => {
    const card = await (await mine.get('/staff/space/millepiani')).text();
    expect(card).toContain('id="space-offline-note"');
    expect(card).not.toContain('id="draft-space"');
    const offline = await (await mine.get('/staff/events/new')).text();
    expect(offline).toContain('id="offline-note"');
    expect(offline).not.toContain('id="draft-button"');

    const bad = await mine.post('/staff/events/new', eventForm({ title_it: '', date: '27/11', end: '17:00' }, [['topics', 'cooking']]));
    expect(bad.status).toBe(400);
    const errors = [...(await bad.text()).matchAll(/data-field="([^"]+)"/g)].map((m) => m[1]);
    expect(errors).toEqual(expect.arrayContaining(['title_it', 'start', 'topics']));

    const res = await mine.post('/staff/events/new', eventForm({}, [['title_en', 'Open bike workshop']]));
    expect(res.status).toBe(303);
    const id = new URL(res.headers.get('location')!, url).searchParams.get('saved')!;
    expect(id).toMatch(/^s\.\d+$/);
    const e = app.knowledge.event(id)!;
    expect(e).toMatchObject({ spaceId: 'millepiani', titles: { it: 'Ciclofficina aperta', en: 'Open bike workshop' }, price: 'free', topics: ['culture'] });
    expect(e.start.toISOString()).toBe('2026-11-27T17:00:00.000Z'); // 18:00 in Rome
    expect(await (await mine.get('/staff/events')).text()).toContain(`data-event="${id}"`);

    // Another space's staff: no list entry, no edit, no cancel, no broadcast (404, as if absent).
    expect(await (await other.get('/staff/events')).text()).not.toContain(id);
    expect((await other.get('/staff/events?space=millepiani')).status).toBe(200); // staff always see their own space
    expect(await (await other.get('/staff/events?space=millepiani')).text()).not.toContain(id);
    expect((await other.get(`/staff/events/${id}/edit`)).status).toBe(404);
    expect((await other.post(`/staff/events/${id}/edit`, eventForm({ title_it: 'Preso' }))).status).toBe(404);
    expect((await other.post(`/staff/events/${id}/cancel`, {})).status).toBe(404);
    expect((await other.get(`/staff/events/${id}/broadcast`)).status).toBe(404);
    expect((await other.post(`/staff/events/${id}/broadcast`, { followers: '1' })).status).toBe(404);
    expect((await other.get('/staff/events/italian_evening_garbatella/broadcast')).status).toBe(404); // imported, another space
    expect(app.knowledge.event(id)!.title).toBe('Ciclofficina aperta');
    expect((await coordinator.get(`/staff/events/${id}/edit`)).status).toBe(200);

    // Edit, then cancel: gone from the list and from the bot.
    expect((await mine.post(`/staff/events/${id}/edit`, eventForm({ title_it: 'Ciclofficina del venerdì' }))).status).toBe(303);
    expect(app.knowledge.event(id)!.title).toBe('Ciclofficina del venerdì');
    expect((await mine.post(`/staff/events/${id}/cancel`, {}, { csrf: null })).status).toBe(403);
    expect((await mine.post(`/staff/events/${id}/cancel`, {})).status).toBe(303);
    expect(app.knowledge.event(id)).toBeUndefined();
    expect(await (await mine.get('/staff/events')).text()).not.toContain(id);
    expect((await mine.get(`/staff/events/${id}/edit`)).status).toBe(404);
  });

  it('warns (saved anyway) when a translation staff wrote has other numbers or links than the source', async () => {
    const res = await mine.post(
      '/staff/events/new',
      eventForm({ title_it: 'Bici alle 18' }, [
        ['title_en', 'Bikes at 18'],
        ['description_en', 'Bring your bike at 6 pm.'],
      ]),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/staff\/events\/s\.\d+\/edit\?saved=1$/);
    const id = location.split('/')[3]!;
    expect(app.knowledge.event(id)!.descriptions.en).toBe('Bring your bike at 6 pm.'); // saved
    const page = await (await mine.get(location)).text();
    expect(page).toContain('id="saved-note"');
    expect(page).toMatch(/data-warn="description_en"[^>]*>⚠️ numbers or links differ from the source: −0, −18, \+6/);
    expect(page).not.toContain('data-warn="title_en"'); // "18" is kept in the title
    // Faithful translations: straight back to the list, no warning.
    const fine = await mine.post(
      `/staff/events/${id}/edit`,
      eventForm({ title_it: 'Bici alle 18' }, [
        ['title_en', 'Bikes at 18'],
        ['description_en', 'Bring your bike at 18:00.'],
      ]),
    );
    expect(fine.headers.get('location')).toContain('/staff/events?space=millepiani&saved=');
    expect(await (await mine.get(`/staff/events/${id}/edit`)).text()).not.toContain('data-warn=');
    expect((await mine.post(`/staff/events/${id}/cancel`, {})).status).toBe(303);
  });

  it('broadcasts an event: kind event, message from the event per language, audience pre-filled', async () => {
    const res = await mine.post(
      '/staff/events/new',
      eventForm({ title_it: 'Serata di giochi', start: '19:30', end: '' }, [
        ['title_en', 'Games night'],
        ['topics', 'networking'],
      ]),
    );
    const id = new URL(res.headers.get('location')!, url).searchParams.get('saved')!;
    const form = await (await mine.get(`/staff/events/${id}/broadcast`)).text();
    expect(form).toMatch(/name="topic" value="culture" checked/);
    expect(form).toMatch(/name="topic" value="networking" checked/);
    expect(form).toContain('Games night');
    const created = await mine.post(`/staff/events/${id}/broadcast`, [
      ['followers', '1'],
      ['all_events', '1'],
      ['topic', 'culture'],
    ]);
    expect(created.status).toBe(303);
    const bid = Number(created.headers.get('location')!.split('/').pop());
    const b = (await app.broadcastStore.getBroadcast(bid))!;
    expect(b).toMatchObject({ kind: 'event', eventId: id, spaceId: 'millepiani', audience: { spaces: ['millepiani'], allEvents: true, topics: ['culture'] } });
    expect(Object.keys(b.messages.text).sort()).toEqual(['en', 'it']);
    expect(b.messages.text.en).toBe('New event at Millepiani Coworking: Games night\n🗓 Friday 27 November, 19:30\n📍 Via Nicolò Odero, 00154 Roma (behind Teatro Palladium)\nPrice: free');
    expect(b.messages.text.it).toMatch(/^Nuovo evento a Millepiani Coworking: Serata di giochi\n🗓 venerdì 27 novembre, 19:30\n/);
    expect(b.messages.title).toEqual({ en: 'Games night', it: 'Serata di giochi' });
    const preview = await (await mine.get(`/staff/b/${bid}`)).text();
    expect(preview).toContain('Games night');
    // An imported event of one's own space can be broadcast too.
    expect((await mine.get('/staff/events/italian_evening_garbatella/broadcast')).status).toBe(200);
  });

  it('speaks Italian to a browser that prefers it, and switches language', async () => {
    const it = await (await mine.get('/staff/events', { 'accept-language': 'it-IT,it;q=0.9' })).text();
    expect(it).toContain('<html lang="it">');
    expect(it).toContain('Nuovo evento');
    // The announcement pages too.
    const news = await (await mine.get('/staff/new', { 'accept-language': 'it' })).text();
    expect(news).toContain('<h1>Nuovo annuncio</h1>');
    expect(news).toContain('Chi ha chiesto tutti gli eventi');
    const sw = await mine.get('/staff/ui?l=en&back=/staff/events', { 'accept-language': 'it-IT' });
    expect(sw.status).toBe(303);
    expect(sw.headers.get('location')).toBe('/staff/events');
    const cookie = sw.headers
      .getSetCookie()
      .find((c) => c.startsWith('cwb_staff_ui='))!
      .split(';')[0]!;
    const en = await (await mine.get('/staff/events', { cookie: `${mine.cookie}; ${cookie}`, 'accept-language': 'it-IT' })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('New event');
  });
});

describe('staff portal: translation drafts with a model', () => {
  let app: App;
  let url: string;
  let server: ServerType;
  let model: Awaited<ReturnType<typeof fakeTranslator>>;
  let mine: PortalClient;

  beforeAll(async () => {
    model = await fakeTranslator(['Arabic']);
    ({ app, url, server } = await serve({ OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'test-key' }));
    await addAccount(app, 'staff@millepiani.example', 'staff', undefined, 'millepiani');
    mine = await portalClient(url, 'staff@millepiani.example');
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await app.close();
    await model.close();
  });

  it('drafts the missing languages for review, saves nothing until staff save, and keeps them marked', async () => {
    const empty = await mine.post('/staff/events/new', eventForm({ action: 'draft', title_it: '' }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/data-field="title_it"[^>]*>write the title first/);
    expect(model.calls).toBe(0);
    const res = await mine.post('/staff/events/new', eventForm({ action: 'draft' }, [['title_en', 'Open bike workshop']]));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('id="draft-note"');
    expect(page).toContain('value="[French] Ciclofficina aperta"');
    expect(page).toContain('[French] Porta la tua bici alle 18:00.');
    expect(page).toContain('value="Open bike workshop"'); // what staff wrote is never replaced
    expect(page).not.toContain('[English]');
    expect(page).not.toContain('[Arabic]'); // a draft that changed a number is refused
    expect(page).toMatch(/No draft for ar/);
    expect(page).toMatch(/data-lang="fr"><b>[^<]+<\/b> <mark class="draft">machine draft — please check<\/mark>/);
    expect(model.calls).toBe(14); // every bot language but the source and English
    expect(await app.staffContent.listEvents('millepiani')).toEqual([]);

    // Staff correct one draft and save: the drafts are saved as the event's own texts.
    const machine = /name="machine" value="([^"]*)"/.exec(page)![1]!;
    const fields: [string, string][] = [...page.matchAll(/name="(title|description)_([a-z]{2})"[^>]*?(?:value="([^"]*)"[^>]*>|>([^<]*)<\/textarea>)/g)]
      .map((m) => [`${m[1]}_${m[2]}`, (m[3] ?? m[4] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&')] as [string, string])
      .filter(([, v]) => v);
    const form = eventForm(
      { machine },
      fields.filter(([k]) => k !== 'title_it' && k !== 'description_it').map(([k, v]) => [k, k === 'title_fr' ? 'Atelier vélo ouvert' : v]),
    );
    const saved = await mine.post('/staff/events/new', form);
    expect(saved.status).toBe(303);
    const [e] = await app.staffContent.listEvents('millepiani');
    expect(e!.title.fr).toBe('Atelier vélo ouvert');
    expect(e!.title.es).toBe('[Spanish] Ciclofficina aperta');
    expect(e!.machineDrafted).toContain('es');
    expect(e!.machineDrafted).not.toContain('en');
  });

  it("drafts the space description's missing languages for review; saved only on Save", async () => {
    const form = (over: [string, string][]): [string, string][] => [['hours', 'Mo-Fr 09:30-19:30'], ['services', 'wifi'], ['languages', 'it, en'], ['price_note', ''], ['source_lang', 'it'], ...over];
    const before = model.calls;
    const empty = await mine.post(
      '/staff/space/millepiani',
      form([
        ['action', 'draft'],
        ['description_it', ''],
      ]),
    );
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/data-field="description_it"[^>]*>write the description first/);
    expect(model.calls).toBe(before);

    const fields: [string, string][] = [
      ['description_it', 'Uno spazio aperto dalle 9:30 alle 19:30.'],
      ['description_en', 'A space open from 9:30 to 19:30.'],
    ];
    const res = await mine.post('/staff/space/millepiani', form([['action', 'draft'], ...fields]));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('id="draft-note"');
    expect(page).toContain('>[French] Uno spazio aperto dalle 9:30 alle 19:30.</textarea>');
    expect(page).toContain('>A space open from 9:30 to 19:30.</textarea>'); // what staff wrote is kept
    expect(page).not.toContain('[Arabic]'); // a draft that changed a number is refused
    expect(page).toMatch(/No draft for ar/);
    expect(page).toMatch(/data-lang="fr"><label>[^<]+<mark class="draft">machine draft — please check<\/mark>/);
    expect(model.calls).toBe(before + 14); // every bot language but Italian and English
    expect(await app.staffContent.getSpaceEdit('millepiani')).toBeUndefined(); // nothing saved yet

    // Save (what the form holds now, one draft corrected): the descriptions are the space's own texts.
    const drafts: [string, string][] = [...page.matchAll(/name="description_([a-z]{2})"[^>]*>([^<]*)<\/textarea>/g)]
      .map((m) => [`description_${m[1]}`, m[2]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')] as [string, string])
      .filter(([k, v]) => v && !fields.some(([f]) => f === k));
    const saved = await mine.post(
      '/staff/space/millepiani',
      form([['action', 'save'], ...fields, ...drafts.map(([k, v]): [string, string] => [k, k === 'description_fr' ? 'Un espace ouvert de 9:30 à 19:30.' : v])]),
    );
    expect(saved.status).toBe(303);
    expect(app.knowledge.space('millepiani')!.descriptions).toMatchObject({
      it: 'Uno spazio aperto dalle 9:30 alle 19:30.',
      fr: 'Un espace ouvert de 9:30 à 19:30.',
      es: '[Spanish] Uno spazio aperto dalle 9:30 alle 19:30.',
    });
    expect(model.calls).toBe(before + 14);
  });
});
