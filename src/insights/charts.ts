/**
 * Server-side SVG charts (bar, line, funnel) from already protected chart data. Every SVG has a
 * `<title>` and a `<desc>` that says what it shows in words; the page adds the full table beside it.
 * Presentation is attributes and CSS classes only (the CSP forbids inline styles).
 */
import type { Cell, Chart, Shown } from './queries.js';

/** Escapes text for HTML and SVG. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** How a protected value reads in the page. */
export function formatCell(cell: Cell, fewer: string): string {
  if (cell.t === 'text') return cell.v;
  if (cell.v === null) return fewer;
  if (cell.t === 'pct') return `${cell.v}%`;
  return cell.t === 'min' ? cell.v.toFixed(1) : cell.v.toLocaleString('en-US');
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

const W = 640;
const numeric = (c: Cell | undefined): Shown => (c && c.t !== 'text' ? c.v : null);
const short = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function frame(id: string, title: string, desc: string, h: number, body: string, w = W): string {
  return (
    `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="${id}-t ${id}-d" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>${body}</svg>`
  );
}

/** Words for the `<desc>`: the first rows with their values. */
function describe(chart: Chart, kind: string, fewer: string, col: number): string {
  const items = chart.rows.slice(0, 8).map((r) => `${r.label}: ${r.cells[col] ? formatCell(r.cells[col]!, fewer) : ''}`);
  const more = chart.rows.length > 8 ? `; and ${chart.rows.length - 8} more in the table` : '';
  return `${kind}, ${chart.columns[col + 1] ?? ''}. ${items.join('; ')}${more}.`;
}

/** Horizontal bars (one per row) of the plotted cell; suppressed rows get a hatched stub and the words. */
export function barChart(chart: Chart, title: string, fewer: string): string {
  const col = chart.plot ?? 0;
  const rows = chart.rows.slice(0, 20);
  const max = Math.max(1, ...rows.map((r) => numeric(r.cells[col]) ?? 0));
  const rowH = 26;
  const labelW = 210;
  const barW = W - labelW - 90;
  const h = rows.length * rowH + 8;
  const body = rows
    .map((r, i) => {
      const y = i * rowH + 4;
      const v = numeric(r.cells[col]);
      const w = v === null ? 14 : Math.max(1, (v / max) * barW);
      const bar = `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 10}" class="${v === null ? 'bar suppressed' : 'bar'}"/>`;
      const value = `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + rowH / 2 + 4}" class="value">${esc(formatCell(r.cells[col]!, fewer))}</text>`;
      return `<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" class="label" text-anchor="end">${esc(short(r.label))}</text>${bar}${value}`;
    })
    .join('');
  return frame(chart.id, title, describe({ ...chart, rows }, 'Bar chart', fewer, col), h, body);
}

/** Centred bars narrowing down the steps; the step's share of the first row is printed. */
export function funnelChart(chart: Chart, title: string, fewer: string): string {
  const rows = chart.rows;
  const first = numeric(rows[0]?.cells[0]) ?? 0;
  const max = Math.max(1, ...rows.map((r) => numeric(r.cells[0]) ?? 0));
  const rowH = 30;
  const h = rows.length * rowH + 8;
  const mid = 430;
  const span = 360;
  const body = rows
    .map((r, i) => {
      const y = i * rowH + 4;
      const v = numeric(r.cells[0]);
      const w = v === null ? 14 : Math.max(2, (v / max) * span);
      const share = v !== null && first > 0 ? ` (${Math.round((100 * v) / first)}%)` : '';
      return (
        `<text x="8" y="${y + rowH / 2 + 4}" class="label">${esc(short(r.label, 26))}</text>` +
        `<rect x="${(mid - w / 2).toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" class="${v === null ? 'bar suppressed' : 'bar funnel'}"/>` +
        `<text x="${mid}" y="${y + rowH / 2 + 4}" class="value inside" text-anchor="middle">${esc(formatCell(r.cells[0]!, fewer) + share)}</text>`
      );
    })
    .join('');
  return frame(chart.id, title, describe(chart, 'Funnel', fewer, 0), h, body);
}

/** Lines over time, one per series cell; a suppressed point breaks its line. */
export function lineChart(chart: Chart, title: string, fewer: string): string {
  const series = Math.min(chart.plot ?? chart.columns.length - 1, chart.columns.length - 1);
  const rows = chart.rows;
  const h = 260;
  // Line charts span the whole page width: a wider drawing keeps the text at a readable size.
  const LW = 960;
  const left = 44;
  const right = LW - 24;
  const top = 12;
  const bottom = h - 64;
  let max = 1;
  for (const r of rows) for (let s = 0; s < series; s++) max = Math.max(max, numeric(r.cells[s]) ?? 0);
  const x = (i: number) => (rows.length <= 1 ? (left + right) / 2 : left + (i * (right - left)) / (rows.length - 1));
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  const parts: string[] = [];
  for (const f of [0, 0.5, 1]) {
    const v = Math.round(max * f);
    parts.push(`<line x1="${left}" x2="${right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" class="axis" text-anchor="end">${v}</text>`);
  }
  const step = Math.max(1, Math.ceil(rows.length / 6));
  rows.forEach((r, i) => {
    if (i % step === 0 || i === rows.length - 1)
      parts.push(`<text x="${x(i).toFixed(1)}" y="${bottom + 16}" class="axis" text-anchor="${i === rows.length - 1 && rows.length > 1 ? 'end' : 'middle'}">${esc(r.label.slice(5))}</text>`);
  });
  for (let s = 0; s < series; s++) {
    const colour = palette[s % palette.length]!;
    let path = '';
    let pen = false;
    rows.forEach((r, i) => {
      const v = numeric(r.cells[s]);
      if (v === null) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
      if (rows.length <= 1 || i === 0 || numeric(rows[i - 1]!.cells[s]) === null) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${colour}"/>`);
    });
    if (path) parts.push(`<path d="${path.trim()}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    const lx = left + (s % 4) * 148;
    const ly = h - 30 + Math.floor(s / 4) * 16;
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${colour}"/><text x="${lx + 14}" y="${ly}" class="legend">${esc(short(chart.columns[s + 1] ?? '', 22))}</text>`);
  }
  const totals = Array.from({ length: series }, (_, s) => {
    const vals = rows.map((r) => numeric(r.cells[s])).filter((v): v is number => v !== null);
    return `${chart.columns[s + 1]}: highest ${vals.length ? Math.max(...vals) : fewer}`;
  });
  const desc = `Line chart over ${rows.length} periods from ${rows[0]?.label ?? ''} to ${rows.at(-1)?.label ?? ''}. ${totals.join('; ')}. Points with ${fewer} people are left out.`;
  return frame(chart.id, title, desc, h, parts.join(''), LW);
}
