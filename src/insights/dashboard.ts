/**
 * The coordinators' dashboard: a hono sub-app mounted at `/insights`. Server-rendered HTML with SVG
 * charts, a CSV for every chart, and the two gap actions (mark handled, clear text). Who may see it
 * is decided by the injected {@link InsightsGuard} (coordinator or admin).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context, type Next } from 'hono';
import { channelNames } from '../core/types.js';
import { languageCodes, getLanguage } from '../i18n/languages.js';
import type { InsightsStore, Scope } from '../storage/insights-store.js';
import { barChart, esc, formatCell, funnelChart, lineChart } from './charts.js';
import {
  buildChart, buildDashboard, chartIds, sections, type Chart, type ChartId, type GapTranslator, type QueryContext, type SectionId,
} from './queries.js';
import { uiStrings, type Ui, type UiLang } from './strings.js';
import type { AuthEnv } from '../web/auth.js';
import { staffLangOf, staffShell, type Html } from '../web/staff-shell.js';
import type { Role } from '../storage/account-store.js';

/**
 * Decides who may see the dashboard: calls `next()` for a coordinator or admin, returns a refusal
 * (401/403 response) otherwise. The accounts feature provides `requireRole('coordinator', 'admin')`.
 */
export type InsightsGuard = (c: Context, next: Next) => Promise<Response | void>;

export interface InsightsOptions {
  store: InsightsStore;
  guard: InsightsGuard;
  /** Small-group threshold k (config `privacy.minGroupSize`). */
  minGroupSize: number;
  /** IANA time zone for days and weeks (config `server.timezone`). */
  timezone: string;
  now?: () => Date;
  /** Optional LLM translation of gap texts into the coordinator's language. */
  translate?: GapTranslator;
  /** Extra names to redact from gap texts. */
  knownNames?: readonly string[];
}

const css = readFileSync(join(import.meta.dirname, 'public', 'insights.css'), 'utf8');
const DAY = 86_400_000;
const sectionOrder = Object.keys(sections) as SectionId[];

/** The period and filters read from the query string. */
export interface Selection {
  period: '7d' | '30d' | '90d' | 'custom';
  scope: Scope;
  district?: string;
  ui: UiLang;
  /** The dates asked for were wrong and the default period is shown. */
  badDates: boolean;
  /** The query string that reproduces this selection (for links and CSVs). */
  query: string;
}

/** Midnight of a `YYYY-MM-DD` day in a time zone, as an instant. */
function zonedMidnight(day: string, tz: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== day) return undefined;
  const offset = (at: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(new Date(at))
        .map((x) => [x.type, x.value]),
    );
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - at;
  };
  const guess = utc - offset(utc);
  return new Date(utc - offset(guess));
}

/** The day after a valid `YYYY-MM-DD`. */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** The local `YYYY-MM-DD` of an instant. */
function localDay(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Reads period, filters and UI language (`?ui=`, else the staff language the shell chose: see
 * `staffLangOf`); wrong values fall back to defaults (never an error page).
 */
export function parseSelection(q: (name: string) => string | undefined, staffLang: UiLang, now: Date, tz: string): Selection {
  const ui: UiLang = q('ui') === 'it' || q('ui') === 'en' ? (q('ui') as UiLang) : staffLang;
  let period = (['7d', '30d', '90d', 'custom'] as const).find((p) => p === q('period')) ?? '30d';
  let badDates = false;
  let from = new Date(now.getTime() - (period === '7d' ? 7 : period === '90d' ? 90 : 30) * DAY);
  let to = now;
  if (period === 'custom') {
    const f = zonedMidnight(q('from') ?? '', tz);
    const t = zonedMidnight(q('to') ?? '', tz) ? zonedMidnight(nextDay(q('to')!), tz) : undefined;
    if (f && t && f < t && t.getTime() - f.getTime() <= 367 * DAY) {
      from = f;
      to = t;
    } else {
      badDates = true;
      period = '30d';
      from = new Date(now.getTime() - 30 * DAY);
    }
  }
  const channel = (channelNames as readonly string[]).includes(q('channel') ?? '') ? q('channel') : undefined;
  const lang = languageCodes.includes(q('lang') ?? '') ? q('lang') : undefined;
  const rawDistrict = (q('district') ?? '').trim();
  const district = rawDistrict && rawDistrict.length <= 80 ? rawDistrict : undefined;
  const params = new URLSearchParams({ period });
  if (period === 'custom') {
    params.set('from', q('from')!);
    params.set('to', q('to')!);
  }
  if (channel) params.set('channel', channel);
  if (lang) params.set('lang', lang);
  if (district) params.set('district', district);
  params.set('ui', ui);
  return { period, scope: { from, to, channel, lang, timezone: tz }, district, ui, badDates, query: params.toString() };
}

function context(opts: InsightsOptions, sel: Selection, ui: Ui): QueryContext {
  return {
    store: opts.store, scope: sel.scope, district: sel.district, k: opts.minGroupSize, ui, uiLang: sel.ui,
    knownNames: opts.knownNames, translate: opts.translate,
  };
}

// ── HTML ─────────────────────────────────────────────────────────────────

function table(chart: Chart, ui: Ui, fewer: string): string {
  const head = chart.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
  const body = chart.rows
    .map((r) => `<tr><th scope="row">${esc(r.label)}</th>${r.cells.map((c) => `<td${c.t === 'text' ? '' : ' class="num"'}>${esc(formatCell(c, fewer))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><caption class="visually-hidden">${esc(ui(`chart.${chart.id}`))}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function gapsTable(chart: Chart, ui: Ui, fewer: string, k: number, query: string, csrf: string | undefined): string {
  const token = csrf ? `<input type="hidden" name="_csrf" value="${esc(csrf)}">` : '';
  const rows = (chart.gaps ?? [])
    .map((g) => {
      const text = g.text === null ? `<span class="muted">${esc(ui('gap.hidden', { k }))}</span>` : `<span lang="${esc(g.langCode)}" dir="auto">${esc(g.text)}</span>`;
      const translation = g.translation ? `<div class="translation"><span class="muted">${esc(ui('gap.translated'))}:</span> ${esc(g.translation)}</div>` : '';
      const form = (action: string, label: string) =>
        `<form method="post" action="/insights/gaps/${encodeURIComponent(g.id)}?${esc(query)}">${token}<input type="hidden" name="action" value="${action}"><button type="submit">${esc(label)}</button></form>`;
      const actions =
        (g.handled ? form('reopen', ui('gap.reopen')) : form('handled', ui('gap.markHandled'))) +
        (g.cleared ? form('hide', ui('gap.unclear')) : g.text === null ? form('clear', ui('gap.clear')) : '');
      return (
        `<tr class="${g.handled ? 'handled' : ''}"><th scope="row">${esc(g.language)}</th><td>${text}${translation}</td>` +
        `<td class="num">${esc(formatCell({ t: 'n', v: g.people }, fewer))}</td><td class="num">${esc(formatCell({ t: 'n', v: g.asks }, fewer))}</td>` +
        `<td>${esc(g.lastAsked)}</td><td><span class="status">${esc(g.handled ? ui('gap.handled') : ui('gap.open'))}</span><div class="actions">${actions}</div></td></tr>`
      );
    })
    .join('');
  const head = chart.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
  return `<p class="note">${esc(ui('gap.note'))}</p><div class="scroll"><table class="gaps"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function figure(chart: Chart, ui: Ui, k: number, query: string, csrf: string | undefined): string {
  const title = ui(`chart.${chart.id}`);
  const fewer = ui('fewer', { k });
  const csv = `<a class="csv" href="/insights/csv/${chart.id}?${esc(query)}" download>${esc(ui('csv'))}</a>`;
  let body: string;
  if (chart.rows.length === 0) body = `<p class="muted">${esc(ui('none'))}</p>`;
  else if (allHidden(chart)) body = `<p class="hidden-note">${esc(ui('hidden.chart', { k }))}</p>`;
  else if (chart.kind === 'stats') {
    body =
      `<dl class="figures">${chart.rows.map((r) => `<div><dt>${esc(r.label)}</dt><dd>${esc(formatCell(r.cells[0]!, fewer))}</dd></div>`).join('')}</dl>`;
  } else if (chart.kind === 'gaps') body = gapsTable(chart, ui, fewer, k, query, csrf);
  else {
    const svg = chart.kind === 'line' ? lineChart(chart, title, fewer) : chart.kind === 'funnel' ? funnelChart(chart, title, fewer) : barChart(chart, title, fewer);
    body = `${svg}<details><summary>${esc(ui('table.show'))}</summary><div class="scroll">${table(chart, ui, fewer)}</div></details>`;
  }
  return `<figure class="card ${chart.kind}" id="chart-${chart.id}" aria-labelledby="h-${chart.id}"><figcaption><h3 id="h-${chart.id}">${esc(title)}</h3>${csv}</figcaption>${body}</figure>`;
}

/** Every number of the chart is hidden (fewer than k): an empty chart would say nothing, a sentence says why. */
function allHidden(chart: Chart): boolean {
  if (chart.kind === 'gaps') return false;
  const numbers = chart.rows.flatMap((r) => r.cells).filter((c) => c.t !== 'text');
  return numbers.length > 0 && numbers.every((c) => c.v === null);
}

/**
 * With little data (fewer than k people, or nobody, in the period), a word on why figures are hidden
 * and what the page will show; undefined when there are enough people.
 */
function littleData(data: Record<SectionId, Chart[]>, ui: Ui, k: number, sel: Selection): string | undefined {
  const people = data.reach.find((c) => c.id === 'reach_totals')?.rows[0]?.cells[0];
  if (!people || people.t === 'text' || (people.v !== null && people.v > 0)) return undefined;
  const longer = sel.period !== '90d' ? `<p><a href="/insights?${esc(sel.query.replace(/period=[^&]*/, 'period=90d').replace(/&from=[^&]*|&to=[^&]*/g, ''))}">${esc(ui('little.longer'))}</a></p>` : '';
  return (
    `<section class="little" aria-labelledby="h-little"><h2 id="h-little">${esc(ui('little.title'))}</h2>` +
    `<p>${esc(ui('little.few', { k }))}</p><p>${esc(ui('little.what'))}</p>${longer}</section>`
  );
}

function select(name: string, label: string, options: [string, string][], value: string | undefined, all: string): string {
  const opts = [['', all] as [string, string], ...options]
    .map(([v, l]) => `<option value="${esc(v)}"${(value ?? '') === v ? ' selected' : ''}>${esc(l)}</option>`)
    .join('');
  return `<label>${esc(label)} <select name="${name}">${opts}</select></label>`;
}

/** Who is looking, for the staff shell's header (absent behind a guard without accounts). */
export interface Viewer {
  /** The session's token for the gap actions' forms (set by the staff session middleware in the guard). */
  csrf?: string;
  account?: { email: string; role: Role; spaceName?: string };
  /** The request's path and query (the language switch comes back here). */
  here: string;
}

async function page(opts: InsightsOptions, sel: Selection, viewer: Viewer): Promise<Html> {
  const csrf = viewer.csrf;
  const ui = uiStrings(sel.ui);
  const k = opts.minGroupSize;
  const [data, values] = await Promise.all([buildDashboard(context(opts, sel, ui)), opts.store.filterValues()]);
  const tz = opts.timezone;
  const lastDay = localDay(new Date(sel.scope.to.getTime() - 1), tz);
  const periods = (['7d', '30d', '90d', 'custom'] as const)
    .map((p) => `<option value="${p}"${sel.period === p ? ' selected' : ''}>${esc(ui(`filter.${p}`))}</option>`)
    .join('');
  const form =
    `<form class="filters" method="get" action="/insights">` +
    `<input type="hidden" name="ui" value="${sel.ui}">` +
    `<label>${esc(ui('filter.period'))} <select name="period">${periods}</select></label>` +
    `<label>${esc(ui('filter.from'))} <input type="date" name="from" value="${localDay(sel.scope.from, tz)}"></label>` +
    `<label>${esc(ui('filter.to'))} <input type="date" name="to" value="${lastDay}"></label>` +
    select('channel', ui('filter.channel'), values.channels.map((c) => [c, c]), sel.scope.channel, ui('filter.all')) +
    select('lang', ui('filter.lang'), values.languages.map((l) => [l, getLanguage(l)?.englishName ?? l]), sel.scope.lang, ui('filter.all')) +
    select('district', ui('filter.district'), values.districts.map((d) => [d, d]), sel.district, ui('filter.all')) +
    `<button type="submit">${esc(ui('filter.apply'))}</button></form>`;
  const nav = `<nav aria-label="${esc(ui('nav.label'))}"><ul>${sectionOrder.map((s) => `<li><a href="#${s}">${esc(ui(`section.${s}`))}</a></li>`).join('')}</ul></nav>`;
  const body = sectionOrder
    .map(
      (s) =>
        `<section id="${s}" aria-labelledby="h-${s}"><h2 id="h-${s}">${esc(ui(`section.${s}`))}</h2>` +
        (s === 'spaces' ? `<p class="note">${esc(ui('filter.districtNote'))}</p>` : '') +
        `<div class="grid">${data[s].map((c) => figure(c, ui, k, sel.query, csrf)).join('')}</div></section>`,
    )
    .join('');
  const main =
    `<div class="page-head"><h1>${esc(ui('title'))}</h1><p class="sub">${esc(ui('subtitle'))}</p></div>${form}` +
    (sel.badDates ? `<p class="warning" role="alert">${esc(ui('filter.badDates'))}</p>` : '') +
    `<p class="period">${esc(ui('period.showing', { from: localDay(sel.scope.from, tz), to: lastDay, tz }))}</p>` +
    (littleData(data, ui, k, sel) ?? '') +
    `<p class="privacy">${esc(ui('privacy.note', { k }))}</p>${nav}${body}`;
  return staffShell({
    lang: sel.ui, title: ui('title'), section: 'insights', account: viewer.account, csrf, here: viewer.here,
    stylesheets: ['/insights/insights.css'], body: main,
  });
}

// ── CSV ──────────────────────────────────────────────────────────────────

function csvField(s: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A chart as CSV: suppressed values read `<k`; numbers are plain. */
export function chartCsv(chart: Chart, k: number): string {
  const lines = [chart.columns.map(csvField).join(',')];
  for (const r of chart.rows) {
    const cells = r.cells.map((c) => (c.t === 'text' ? csvField(c.v) : c.v === null ? `<${k}` : String(c.v)));
    lines.push([csvField(r.label), ...cells].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

// ── routes ───────────────────────────────────────────────────────────────

/**
 * Refuses cross-site form posts (the gap actions change data), beside the session's CSRF token that
 * the staff guard checks. `Origin: null` is not a refusal: browsers send it for every form post from
 * a page served with `Referrer-Policy: no-referrer`, as all our pages are.
 */
function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin) return false;
  return true;
}

/** The `/insights` sub-app. Mount with `web.route('/insights', insightsRoutes({...}))`. */
export function insightsRoutes(opts: InsightsOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const now = opts.now ?? (() => new Date());
  // The staff language (the shell's switch, else the browser) unless the page's own `ui=` says otherwise.
  const selection = (c: Context) => parseSelection((n) => c.req.query(n), staffLangOf(c), now(), opts.timezone);

  app.get('/insights.css', (c) => c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));
  app.use('*', opts.guard);
  app.use('*', async (c, next) => {
    await next();
    // Aggregates only, but still staff data: keep it out of shared caches and search engines.
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
  });

  app.get('/', async (c) => {
    const account = c.get('account');
    const url = new URL(c.req.url);
    const viewer: Viewer = {
      csrf: c.get('csrf'),
      account: account && { email: account.email, role: account.role, spaceName: c.get('spaceName') },
      here: url.pathname + url.search,
    };
    return c.html(await page(opts, selection(c), viewer));
  });

  app.get('/csv/:chart', async (c) => {
    const id = c.req.param('chart').replace(/\.csv$/, '') as ChartId;
    if (!chartIds.includes(id)) return c.text(`Unknown chart. Charts: ${chartIds.join(', ')}`, 404);
    const sel = selection(c);
    const chart = await buildChart(id, context(opts, sel, uiStrings(sel.ui)));
    const name = `insights-${id}-${localDay(sel.scope.from, opts.timezone)}-${localDay(new Date(sel.scope.to.getTime() - 1), opts.timezone)}.csv`;
    return c.body(chartCsv(chart, opts.minGroupSize), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
    });
  });

  app.post('/gaps/:id', async (c) => {
    const ui = uiStrings(selection(c).ui);
    if (!sameOrigin(c)) return c.text(ui('badRequest'), 403);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const action = form['action'];
    const id = c.req.param('id');
    let found: boolean;
    if (action === 'handled' || action === 'reopen') found = await opts.store.setGapHandled(id, action === 'handled');
    else if (action === 'clear' || action === 'hide') found = await opts.store.setGapCleared(id, action === 'clear');
    else return c.text(ui('badRequest'), 400);
    if (!found) return c.text(ui('notFound'), 404);
    return c.redirect(`/insights?${selection(c).query}#chart-gaps`, 303);
  });

  return app;
}
