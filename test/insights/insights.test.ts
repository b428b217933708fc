import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { languageCodes } from '../../src/i18n/languages.js';
import { chartCsv, insightsRoutes } from '../../src/insights/dashboard.js';
import { buildChart, buildDashboard, chartIds, protect, type Chart, type QueryContext } from '../../src/insights/queries.js';
import { insightsText as uiStrings } from '../../src/i18n/staff-strings.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { InsightsStore, type Scope } from '../../src/storage/insights-store.js';
import { dbTarget, dbTargetNames } from '../helpers.js';
import * as x from './expected.js';
import { testGuard } from './guard.js';
import { seedGapId, seedHistory, seedInto } from './seed.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const TZ = 'Europe/Rome';
const DAY = 86_400_000;
const seeded = seedHistory({ people: 500, days: 90, now: NOW });
const ev = seeded.events;

const scopes: [string, Scope, string | undefined][] = [
  ['last 90 days', { from: new Date(NOW.getTime() - 90 * DAY), to: NOW, timezone: TZ }, undefined],
  ['last 30 days on telegram, district Pigneto', { from: new Date(NOW.getTime() - 30 * DAY), to: NOW, channel: 'telegram', timezone: TZ }, 'Pigneto'],
  ['last 7 days in Arabic', { from: new Date(NOW.getTime() - 7 * DAY), to: NOW, lang: 'ar', timezone: TZ }, undefined],
  ['September (custom, Rome days)', { from: new Date('2026-08-31T22:00:00Z'), to: new Date('2026-09-30T22:00:00Z'), timezone: TZ }, undefined],
];

describe('the seeded history', () => {
  it('is realistic: hundreds of people, all 16 languages, every capability, 90 days', () => {
    expect(new Set(ev.map((e) => e.actor).filter(Boolean)).size).toBeGreaterThanOrEqual(350);
    expect(new Set(ev.map((e) => e.lang).filter(Boolean))).toEqual(new Set(languageCodes));
    const types = new Set(ev.map((e) => e.type));
    for (const t of [
      'message_in',
      'command',
      'not_understood',
      'language_set',
      'knowledge_question',
      'knowledge_gap',
      'space_search',
      'space_viewed',
      'event_subscribed',
      'reminder_set',
      'broadcast_sent',
      'flow_started',
      'flow_step',
      'flow_completed',
      'flow_abandoned',
      'handoff_requested',
      'handoff_claimed',
      'handoff_first_reply',
      'handoff_closed',
    ])
      expect(types, t).toContain(t);
    const days = (NOW.getTime() - Math.min(...ev.map((e) => e.at.getTime()))) / DAY;
    expect(days).toBeGreaterThan(85);
    expect(days).toBeLessThanOrEqual(90);
  });
});

describe.each(dbTargetNames())('insights on %s', (target) => {
  let db: Db;
  let store: InsightsStore;
  let cleanup: () => Promise<void>;
  let web: Hono;
  const ctx = (scope: Scope, k: number, district?: string): QueryContext => ({ store, scope, k, ui: uiStrings('en'), uiLang: 'en', district });
  const get = (path: string, role: string | null = 'coordinator', headers: Record<string, string> = {}) => web.request(path, { headers: { ...(role ? { 'x-test-role': role } : {}), ...headers } });

  beforeAll(async () => {
    const t = await dbTarget(target);
    cleanup = t.cleanup;
    db = await openDatabase(t.target);
    store = new InsightsStore(db);
    await seedInto(store, seeded);
    web = new Hono();
    web.route('/insights', insightsRoutes({ store, guard: testGuard, minGroupSize: 5, timezone: TZ, now: () => NOW }));
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  it.each(scopes)('every figure matches an independent count: %s', async (_label, scope, district) => {
    expect(await store.reachTotals(scope)).toEqual(x.reachTotals(ev, scope));
    for (const unit of ['day', 'week'] as const) {
      expect(x.asMap((await store.reachOverTime(scope, unit)).map((t) => ({ ...t, key: `${t.bucket}|${t.key}` })))).toEqual(
        x.asMap(x.reachOverTime(ev, scope, unit).map((t) => ({ ...t, key: `${t.bucket}|${t.key}` }))),
      );
      expect(x.asMap((await store.topicsOverTime(scope, unit)).map((t) => ({ ...t, key: `${t.bucket}|${t.key}` })))).toEqual(
        x.asMap(x.topicsOverTime(ev, scope, unit).map((t) => ({ ...t, key: `${t.bucket}|${t.key}` }))),
      );
    }
    expect(x.asMap(await store.reachBy(scope, 'channel'))).toEqual(x.asMap(x.reachBy(ev, scope, 'channel')));
    expect(x.asMap(await store.reachBy(scope, 'lang'))).toEqual(x.asMap(x.reachBy(ev, scope, 'lang')));
    expect(x.asMap(await store.topics(scope))).toEqual(x.asMap(x.topics(ev, scope)));
    expect(x.asMap(await store.topQuestions(scope, 1000))).toEqual(x.asMap(x.questions(ev, scope)));
    const feedback = x.answerFeedback(ev, scope);
    if (_label === 'last 90 days') expect(feedback.length).toBeGreaterThan(5);
    expect(x.asMap(await store.answerFeedback(scope, 1000))).toEqual(x.asMap(feedback));
    expect(x.asMap(await store.spacesViewed(scope))).toEqual(x.asMap(x.facet(ev, scope, 'space_viewed', 'space')));
    for (const f of ['district', 'price', 'services', 'languages'] as const) {
      expect(x.asMap(await store.searchFacet(scope, f, district)), f).toEqual(x.asMap(x.facet(ev, scope, 'space_search', f, district)));
    }
    expect(x.asMap(await store.subscriptions(scope))).toEqual(x.asMap(x.subscriptions(ev, scope)));
    expect(x.asMap(await store.reminders(scope))).toEqual(x.asMap(x.facet(ev, scope, 'reminder_set', 'event')));
    expect(x.asMap(await store.broadcasts(scope))).toEqual(x.asMap(x.broadcasts(ev, { ...scope, channel: undefined, lang: undefined })));
    const inc = await store.incubationTotals(scope);
    expect(Object.fromEntries(inc.map((t) => [t.key, t.people]))).toEqual(x.incubationTotals(ev, scope));
    expect(x.asMap((await store.funnel(scope)).map(({ flow: _f, step: _s, ...t }) => t))).toEqual(x.asMap(x.funnel(ev, scope)));
    for (const f of ['stage', 'supportLevel', 'needs', 'constraints'] as const) {
      expect(x.asMap(await store.completionFacet(scope, f)), f).toEqual(x.asMap(x.facet(ev, scope, 'flow_completed', f)));
    }
    expect(x.asMap(await store.handoffTotals(scope))).toEqual(x.asMap(x.handoffTotals(ev, scope)));
    const waits = x.asMap(await store.handoffWaits(scope));
    const expectedWaits = x.asMap(x.handoffWaits(ev, scope));
    expect(Object.keys(waits)).toEqual(Object.keys(expectedWaits));
    for (const [k, w] of Object.entries(waits)) {
      const e = expectedWaits[k]!;
      expect({ n: w.n, people: w.people, replied: w.replied }).toEqual({ n: e.n, people: e.people, replied: e.replied });
      for (const p of ['median', 'p90'] as const) {
        if (e[p] === null) expect(w[p]).toBeNull();
        else expect(w[p]).toBeCloseTo(e[p]!, 6);
      }
    }
    const gaps = await store.gaps(scope, 1000);
    const asked = new Set(ev.filter((e) => x.inScope(e, scope, ['knowledge_gap'])).map((e) => (e.data as { gapId: string }).gapId));
    expect(new Set(gaps.map((g) => g.id))).toEqual(asked);
    for (const g of gaps) {
      expect({ n: g.n, people: g.people }).toEqual(x.gapPeople(ev, scope, g.id));
      expect(g.peopleEver).toBe(x.gapPeople(ev, null, g.id).people);
    }
  });

  it('suppresses every figure resting on fewer than k people, in the charts and the CSVs', async () => {
    const scope = scopes[0]![1];
    const open = await buildDashboard(ctx(scope, 1));
    const closed = await buildDashboard(ctx(scope, 5));
    let hidden = 0;
    let shown = 0;
    for (const section of Object.keys(open) as (keyof typeof open)[]) {
      open[section].forEach((chart, i) => {
        const other = closed[section][i]!;
        expect(other.rows.map((r) => r.label)).toEqual(chart.rows.map((r) => r.label));
        chart.rows.forEach((row, j) =>
          row.cells.forEach((cell, c) => {
            const v = other.rows[j]!.cells[c]!;
            if (cell.t === 'text') return;
            if (v.v === null) hidden++;
            else {
              shown++;
              expect(v.v).toBe(cell.v);
            }
          }),
        );
      });
    }
    expect(hidden).toBeGreaterThan(0);
    expect(shown).toBeGreaterThan(50);
    // Exactly the languages with fewer than 5 people are hidden (in a week some languages are small).
    const week: Scope = { from: new Date(NOW.getTime() - 7 * DAY), to: NOW, timezone: TZ };
    const byLang = await buildChart('reach_language', ctx(week, 5));
    const people = x.reachBy(ev, week, 'lang');
    for (const t of people) {
      const row = byLang.rows.find((r) => r.label.endsWith(`(${t.key})`))!;
      expect(row.cells[0]!.v, t.key).toBe(t.people < 5 ? null : t.people);
    }
    expect(people.some((t) => t.people < 5)).toBe(true);
    // Handoff waits by language: a language with fewer than 5 people asking shows no median.
    const waits = await buildChart('handoff_wait', ctx(scope, 5));
    for (const w of x.handoffWaits(ev, scope)) {
      const row = waits.rows.find((r) => r.label.endsWith(`(${w.key})`))!;
      expect(row.cells[0]!.v === null, w.key).toBe(w.people < 5);
    }
    // New and returning people are hidden together (either one follows from the other and the total).
    for (const [, sc] of scopes) {
      const t = x.reachTotals(ev, sc);
      const rows = (await buildChart('reach_totals', ctx(sc, 5))).rows;
      const both = Math.min(t.newPeople, t.people - t.newPeople) >= 5;
      expect(rows[1]!.cells[0]!.v).toBe(both ? t.newPeople : null);
      expect(rows[2]!.cells[0]!.v).toBe(both ? t.people - t.newPeople : null);
    }
    // The same rule in the CSV: "<5".
    const csv = chartCsv(byLang, 5);
    expect(csv).toContain(',<5');
    expect(protect(7, 4, 5)).toBeNull();
    expect(protect(7, 5, 5)).toBe(7);
  });

  it('shows gap text only redacted and only when asked by k people or cleared; a coordinator can clear and handle gaps', async () => {
    const scope = scopes[0]![1];
    const chart = await buildChart('gaps', ctx(scope, 5));
    for (const g of chart.gaps!) {
      const ever = x.gapPeople(ev, null, g.id).people;
      expect(g.text === null, g.id).toBe(ever < 5);
    }
    const rare = chart.gaps!.find((g) => g.text === null)!;
    expect(rare).toBeDefined();
    const bad = await web.request(`/insights/gaps/${rare.id}`, {
      method: 'POST',
      headers: { 'x-test-role': 'coordinator', origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=clear',
    });
    expect(bad.status).toBe(403);
    const post = (id: string, action: string) =>
      web.request(`/insights/gaps/${id}?period=90d`, { method: 'POST', headers: { 'x-test-role': 'coordinator', 'content-type': 'application/x-www-form-urlencoded' }, body: `action=${action}` });
    expect((await post(rare.id, 'clear')).status).toBe(303);
    expect((await post(rare.id, 'handled')).status).toBe(303);
    expect((await post('no-such-gap', 'handled')).status).toBe(404);
    expect((await post(rare.id, 'explode')).status).toBe(400);
    const after = (await buildChart('gaps', ctx(scope, 5))).gaps!.find((g) => g.id === rare.id)!;
    expect(after.text).not.toBeNull();
    expect(after.handled).toBe(true);
    expect(after.cleared).toBe(true);
    // Every text with personal data is redacted once shown.
    for (const id of [seedGapId('it', 1), seedGapId('en', 1), seedGapId('fr', 1), seedGapId('ar', 1), seedGapId('uk', 1)]) await post(id, 'clear');
    const all = (await buildChart('gaps', ctx(scope, 5))).gaps!;
    const text = all.map((g) => g.text ?? '').join('\n');
    expect(text).toContain('[phone]');
    expect(text).toContain('[email]');
    expect(text).toContain('[document]');
    expect(text).toContain('[name]');
    for (const secret of ['333 123 4567', '3331234567', 'amina.k@example.org', 'YA1234567', 'AB9876543', 'giulia', 'Олена', 'أحمد']) expect(text).not.toContain(secret);
    for (const id of [seedGapId('it', 1), seedGapId('en', 1), seedGapId('fr', 1), seedGapId('ar', 1), seedGapId('uk', 1), rare.id]) {
      await post(id, 'hide');
      await post(id, 'reopen');
    }
  });

  it('translates only shown (redacted) gap texts when a translator is configured', async () => {
    const sent: string[] = [];
    const c: QueryContext = { ...ctx(scopes[0]![1], 5), translate: async (items) => items.map((i) => (sent.push(i.text), `EN: ${i.text}`)) };
    const chart = await buildChart('gaps', c);
    for (const g of chart.gaps!) {
      if (g.text === null) expect(g.translation).toBeNull();
      else if (g.langCode !== 'en') expect(g.translation).toBe(`EN: ${g.text}`);
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((t) => chart.gaps!.some((g) => g.text === t))).toBe(true);
  });

  it('refuses requests the guard does not approve', async () => {
    expect((await get('/insights', null)).status).toBe(401);
    expect((await get('/insights', 'facilitator')).status).toBe(403);
    expect((await get('/insights/csv/topics', 'staff')).status).toBe(403);
    expect((await web.request(`/insights/gaps/${seedGapId('en', 0)}`, { method: 'POST', body: 'action=handled' })).status).toBe(401);
    expect((await get('/insights', 'admin')).status).toBe(200);
  });

  it('renders the page and every CSV without any personal data', async () => {
    const pages: string[] = [];
    for (const q of ['period=90d', 'period=30d&channel=whatsapp&ui=it', 'period=7d&lang=uk', 'period=custom&from=2026-09-01&to=2026-09-30&district=Ostiense']) {
      const res = await get(`/insights?${q}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      pages.push(await res.text());
    }
    expect(pages[0]).toContain('Reach');
    expect(pages[1]).toContain('Persone raggiunte');
    for (const id of chartIds) {
      const res = await get(`/insights/csv/${id}?period=90d`);
      expect(res.status, id).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="insights-/);
      pages.push(await res.text());
    }
    const all = pages.join('\n');
    for (const actor of seeded.actors) expect(all.includes(actor), actor).toBe(false);
    expect(all).not.toMatch(/\bP-[0-9A-Z]{8}\b/);
    expect(all).not.toMatch(/[0-9a-f]{16}/);
    for (const secret of ['333 123 4567', 'amina.k@example.org', 'YA1234567']) expect(all).not.toContain(secret);
    expect((await get('/insights/csv/nope')).status).toBe(404);
  });

  it('answers wrong dates with the default period and a notice, not an error', async () => {
    const res = await get('/insights?period=custom&from=2026-13-40&to=yesterday');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('The dates were not valid');
  });

  it('the CSV of a chart lists exactly its rows, spreadsheet-safe', () => {
    const chart: Chart = {
      id: 'topics',
      kind: 'bar',
      columns: ['Item', 'Requests'],
      rows: [
        { label: '=HYPERLINK("x")', cells: [{ t: 'n', v: 12 }] },
        { label: 'b, c', cells: [{ t: 'n', v: null }] },
      ],
    };
    expect(chartCsv(chart, 5)).toBe('Item,Requests\r\n"\'=HYPERLINK(""x"")",12\r\n"b, c",<5\r\n');
  });
});
