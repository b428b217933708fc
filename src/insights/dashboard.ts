/**
 * The coordinators' dashboard: a hono sub-app mounted at `/insights`. Server-rendered HTML with SVG
 * charts, a CSV for every chart, and the two gap actions (mark handled, clear text). Who may see it
 * is decided by the injected {@link InsightsGuard} (coordinator or admin).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context, type Next } from 'hono';
import { channelNames } from '../core/types.js';
import { languageCodes } from '../i18n/languages.js';
import type { InsightsStore } from '../storage/insights-store.js';
import { buildChart, buildDashboard, chartIds, type Chart, type ChartId, type GapTranslator, type QueryContext } from './queries.js';
import { dashboardPage, localDay, type Selection, type Viewer } from './dashboard-views.js';
import { insightsText as uiStrings, type InsightsText as Ui } from '../i18n/staff-strings.js';
import type { AuthEnv } from '../web/auth.js';
import { staffLangOf, type StaffLang } from '../web/staff-shell.js';

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

export type { Selection, Viewer } from './dashboard-views.js';

const css = readFileSync(join(import.meta.dirname, 'public', 'insights.css'), 'utf8');
const DAY = 86_400_000;

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

/**
 * Reads period, filters and UI language (`?ui=`, else the staff language the shell chose: see
 * `staffLangOf`); wrong values fall back to defaults (never an error page).
 */
export function parseSelection(q: (name: string) => string | undefined, staffLang: StaffLang, now: Date, tz: string): Selection {
  const asked = q('ui');
  const ui: StaffLang = asked === 'it' || asked === 'en' ? asked : staffLang;
  let period = (['7d', '30d', '90d', 'custom'] as const).find((p) => p === q('period')) ?? '30d';
  let badDates = false;
  let from = new Date(now.getTime() - (period === '7d' ? 7 : period === '90d' ? 90 : 30) * DAY);
  let to = now;
  if (period === 'custom') {
    const f = zonedMidnight(q('from') ?? '', tz);
    const toDay = q('to') ?? '';
    const t = zonedMidnight(toDay, tz) ? zonedMidnight(nextDay(toDay), tz) : undefined;
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
    // Still custom: both dates were read above.
    params.set('from', q('from') ?? '');
    params.set('to', q('to') ?? '');
  }
  if (channel) params.set('channel', channel);
  if (lang) params.set('lang', lang);
  if (district) params.set('district', district);
  params.set('ui', ui);
  return { period, scope: { from, to, channel, lang, timezone: tz }, district, ui, badDates, query: params.toString() };
}

function context(opts: InsightsOptions, sel: Selection, ui: Ui): QueryContext {
  return {
    store: opts.store,
    scope: sel.scope,
    district: sel.district,
    k: opts.minGroupSize,
    ui,
    uiLang: sel.ui,
    knownNames: opts.knownNames,
    translate: opts.translate,
  };
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
    const sel = selection(c);
    const ui = uiStrings(sel.ui);
    const [data, values] = await Promise.all([buildDashboard(context(opts, sel, ui)), opts.store.filterValues()]);
    return c.html(dashboardPage({ sel, k: opts.minGroupSize, timezone: opts.timezone, data, values, viewer }, ui));
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
