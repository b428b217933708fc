/**
 * The coordinators' dashboard as pure render functions: from the charts and filter values the route
 * handler (`dashboard.ts`) has loaded, and the staff translator, to HTML. No database, no request.
 */
import { getLanguage } from '../i18n/languages.js';
import type { Scope } from '../storage/insights-store.js';
import type { Role } from '../storage/account-store.js';
import { staffShell, type Html, type StaffLang } from '../web/staff-shell.js';
import { barChart, esc, formatCell, funnelChart, lineChart } from './charts.js';
import { sections, type Chart, type SectionId } from './queries.js';
import type { InsightsText as Ui } from '../i18n/staff-strings.js';

const sectionOrder = Object.keys(sections) as SectionId[];

/** The period and filters read from the query string. */
export interface Selection {
  period: '7d' | '30d' | '90d' | 'custom';
  scope: Scope;
  district?: string;
  ui: StaffLang;
  /** The dates asked for were wrong and the default period is shown. */
  badDates: boolean;
  /** The query string that reproduces this selection (for links and CSVs). */
  query: string;
}

/** The local `YYYY-MM-DD` of an instant. */
export function localDay(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Who is looking, for the staff shell's header (absent behind a guard without accounts). */
export interface Viewer {
  /** The session's token for the gap actions' forms (set by the staff session middleware in the guard). */
  csrf?: string;
  account?: { email: string; role: Role; spaceName?: string };
  /** The request's path and query (the language switch comes back here). */
  here: string;
}

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
        (g.handled ? form('reopen', ui('gap.reopen')) : form('handled', ui('gap.markHandled'))) + (g.cleared ? form('hide', ui('gap.unclear')) : g.text === null ? form('clear', ui('gap.clear')) : '');
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
    body = `<dl class="figures">${chart.rows.map((r) => `<div><dt>${esc(r.label)}</dt><dd>${esc(formatCell(r.cells[0]!, fewer))}</dd></div>`).join('')}</dl>`;
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
    `<section class="little" aria-labelledby="h-little"><h2 id="h-little">${esc(ui('little.title'))}</h2>` + `<p>${esc(ui('little.few', { k }))}</p><p>${esc(ui('little.what'))}</p>${longer}</section>`
  );
}

function select(name: string, label: string, options: [string, string][], value: string | undefined, all: string): string {
  const opts = [['', all] as [string, string], ...options].map(([v, l]) => `<option value="${esc(v)}"${(value ?? '') === v ? ' selected' : ''}>${esc(l)}</option>`).join('');
  return `<label>${esc(label)} <select name="${name}">${opts}</select></label>`;
}

/** Everything the dashboard page shows, loaded by the route handler. */
export interface DashboardView {
  sel: Selection;
  /** Small-group threshold k. */
  k: number;
  /** IANA time zone the days are shown in. */
  timezone: string;
  /** The charts of every section, already computed. */
  data: Record<SectionId, Chart[]>;
  /** The values the filters offer. */
  values: FilterValues;
  viewer: Viewer;
}

/** The values seen in the data, offered by the filters' selects. */
export interface FilterValues {
  channels: string[];
  languages: string[];
  districts: string[];
}

/** The whole dashboard page, in the staff shell. `ui` is the translator for `v.sel.ui`. */
export function dashboardPage(v: DashboardView, ui: Ui): Html {
  const { sel, viewer, data, values, k } = v;
  const csrf = viewer.csrf;
  const tz = v.timezone;
  const lastDay = localDay(new Date(sel.scope.to.getTime() - 1), tz);
  const periods = (['7d', '30d', '90d', 'custom'] as const).map((p) => `<option value="${p}"${sel.period === p ? ' selected' : ''}>${esc(ui(`filter.${p}`))}</option>`).join('');
  const form =
    `<form class="filters" method="get" action="/insights">` +
    `<input type="hidden" name="ui" value="${sel.ui}">` +
    `<label>${esc(ui('filter.period'))} <select name="period">${periods}</select></label>` +
    `<label>${esc(ui('filter.from'))} <input type="date" name="from" value="${localDay(sel.scope.from, tz)}"></label>` +
    `<label>${esc(ui('filter.to'))} <input type="date" name="to" value="${lastDay}"></label>` +
    select(
      'channel',
      ui('filter.channel'),
      values.channels.map((c) => [c, c]),
      sel.scope.channel,
      ui('filter.all'),
    ) +
    select(
      'lang',
      ui('filter.lang'),
      values.languages.map((l) => [l, getLanguage(l)?.englishName ?? l]),
      sel.scope.lang,
      ui('filter.all'),
    ) +
    select(
      'district',
      ui('filter.district'),
      values.districts.map((d) => [d, d]),
      sel.district,
      ui('filter.all'),
    ) +
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
    lang: sel.ui,
    title: ui('title'),
    section: 'insights',
    account: viewer.account,
    csrf,
    here: viewer.here,
    stylesheets: ['/insights/insights.css'],
    body: main,
  });
}
