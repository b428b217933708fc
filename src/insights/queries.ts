/**
 * The dashboard's figures as charts: each chart is built from the insights store's tallies, and every
 * number passes through {@link protect} — the ONE place small groups are suppressed. Renderers (HTML,
 * SVG, CSV) only ever see already protected values, so they cannot leak a small group by mistake.
 */
import { getLanguage } from '../i18n/languages.js';
import type { InsightsStore, Scope, Tally } from '../storage/insights-store.js';
import { redact } from './redact.js';
import type { InsightsKey as StringKey, InsightsText as Ui } from '../i18n/staff-strings.js';

/** A protected number: `null` means "fewer than k people" (suppressed). */
export type Shown = number | null;

/** One table cell. `n` counts, `pct` percentages, `min` minutes, `text` labels. */
export type Cell = { t: 'n' | 'pct' | 'min'; v: Shown } | { t: 'text'; v: string };

export interface Row {
  /** What the row is (translated label). */
  label: string;
  cells: Cell[];
}

export type ChartKind = 'stats' | 'bar' | 'line' | 'funnel' | 'gaps';

export interface Chart {
  id: ChartId;
  kind: ChartKind;
  /** Header of the label column, then one header per cell. */
  columns: string[];
  rows: Row[];
  /** For `line`: which cells are series (default all). For `bar`/`funnel`: the plotted cell (default 0). */
  plot?: number;
  /** For `gaps`: the gap rows with their actions. */
  gaps?: GapView[];
}

export interface GapView {
  id: string;
  langCode: string;
  language: string;
  /** Redacted text, or null when hidden (fewer than k askers and not cleared). */
  text: string | null;
  translation: string | null;
  people: Shown;
  asks: Shown;
  lastAsked: string;
  handled: boolean;
  cleared: boolean;
}

export const sections = {
  reach: ['reach_totals', 'reach_over_time', 'reach_channel', 'reach_language'],
  questions: ['topics', 'topics_over_time', 'top_questions', 'answer_feedback', 'gaps'],
  spaces: ['spaces_viewed', 'districts', 'services', 'prices', 'search_languages', 'subscriptions', 'reminders', 'broadcasts'],
  incubation: ['incubation_totals', 'incubation_funnel', 'incubation_stage', 'incubation_needs', 'incubation_constraints', 'incubation_support'],
  handoff: ['handoff_totals', 'handoff_wait', 'handoff_outcomes'],
} as const;

export type SectionId = keyof typeof sections;
export type ChartId = (typeof sections)[SectionId][number];
export const chartIds: ChartId[] = Object.values(sections).flat();

/** Translates gap texts (already redacted) into the coordinator's language; optional (needs an LLM). */
export type GapTranslator = (items: { text: string; lang: string }[], target: 'en' | 'it') => Promise<(string | null)[]>;

/** Everything a chart builder needs. */
export interface QueryContext {
  store: InsightsStore;
  scope: Scope;
  /** Narrows the space-search charts to one district. */
  district?: string;
  /** The small-group threshold k (config privacy.minGroupSize). */
  k: number;
  ui: Ui;
  uiLang: 'en' | 'it';
  /** Names to redact from gap texts besides the patterns (e.g. staff names). */
  knownNames?: readonly string[];
  translate?: GapTranslator;
}

/**
 * THE suppression rule: a value that rests on fewer than `k` distinct people is not shown.
 * Every figure on every page and CSV goes through here.
 */
export function protect(value: number | null, people: number, k: number): Shown {
  return people < k ? null : value;
}

const DAY = 86_400_000;

/** Day buckets up to 31 days, week buckets beyond. */
export function bucketUnit(scope: Scope): 'day' | 'week' {
  return scope.to.getTime() - scope.from.getTime() <= 31 * DAY ? 'day' : 'week';
}

function languageName(code: string): string {
  const l = getLanguage(code);
  return l ? `${l.englishName} (${code})` : code || '—';
}

/** Labels for keys that have a translation (topics, stats); others stay as recorded. */
function labelOf(ui: Ui, prefix: 'topic' | 'stat', key: string): string {
  const k = `${prefix}.${key}` as StringKey;
  try {
    const s = ui(k);
    return s === undefined ? key : s;
  } catch {
    return key;
  }
}

const count = (v: number, people: number, k: number): Cell => ({ t: 'n', v: protect(v, people, k) });
const pct = (part: number, whole: number, people: number, k: number): Cell => ({
  t: 'pct',
  v: protect(whole > 0 ? Math.round((1000 * part) / whole) / 10 : null, people, k),
});
const minutes = (seconds: number | null, people: number, k: number): Cell => ({
  t: 'min',
  v: protect(seconds === null ? null : Math.round(seconds / 6) / 10, people, k),
});

/** A bar chart of tallies: columns `value` (n) and people. */
function tallyChart(id: ChartId, c: QueryContext, tallies: Tally[], valueCol: StringKey, label: (key: string) => string = (k) => k): Chart {
  return {
    id,
    kind: 'bar',
    columns: [c.ui('col.label'), c.ui(valueCol), c.ui('col.people')],
    rows: tallies.map((t) => ({ label: label(t.key), cells: [count(t.n, t.people, c.k), count(t.people, t.people, c.k)] })),
  };
}

function peopleChart(id: ChartId, c: QueryContext, tallies: Tally[], label: (key: string) => string = (k) => k): Chart {
  return {
    id,
    kind: 'bar',
    columns: [c.ui('col.label'), c.ui('col.people')],
    rows: tallies.map((t) => ({ label: label(t.key), cells: [count(t.people, t.people, c.k)] })),
  };
}

type Builder = (c: QueryContext) => Promise<Chart>;

const builders: Record<ChartId, Builder> = {
  async reach_totals(c) {
    const r = await c.store.reachTotals(c.scope);
    const returning = r.people - r.newPeople;
    // new + returning = people: if one is hidden, hide both, or subtraction would reveal it.
    const split = Math.min(r.newPeople, returning);
    return {
      id: 'reach_totals',
      kind: 'stats',
      columns: [c.ui('col.label'), c.ui('col.value')],
      rows: [
        { label: c.ui('stat.people'), cells: [count(r.people, r.people, c.k)] },
        { label: c.ui('stat.new'), cells: [count(r.newPeople, split, c.k)] },
        { label: c.ui('stat.returning'), cells: [count(returning, split, c.k)] },
        { label: c.ui('stat.conversations'), cells: [count(r.conversations, r.people, c.k)] },
      ],
    };
  },
  async reach_over_time(c) {
    const unit = bucketUnit(c.scope);
    const tallies = await c.store.reachOverTime(c.scope, unit);
    const buckets = [...new Set(tallies.map((t) => t.bucket))];
    const cell = (b: string, key: string) => {
      const t = tallies.find((x) => x.bucket === b && x.key === key)!;
      return count(t.n, t.people, c.k);
    };
    return {
      id: 'reach_over_time',
      kind: 'line',
      columns: [c.ui(unit === 'day' ? 'col.day' : 'col.week'), c.ui('col.people'), c.ui('col.new'), c.ui('col.conversations')],
      rows: buckets.map((b) => ({ label: b, cells: [cell(b, 'people'), cell(b, 'new'), cell(b, 'conversations')] })),
      plot: 2,
    };
  },
  async reach_channel(c) {
    return peopleChart('reach_channel', c, await c.store.reachBy(c.scope, 'channel'));
  },
  async reach_language(c) {
    return peopleChart('reach_language', c, await c.store.reachBy(c.scope, 'lang'), languageName);
  },
  async topics(c) {
    return tallyChart('topics', c, await c.store.topics(c.scope), 'col.requests', (k) => labelOf(c.ui, 'topic', k));
  },
  async topics_over_time(c) {
    const unit = bucketUnit(c.scope);
    const tallies = await c.store.topicsOverTime(c.scope, unit);
    const topics = ['explainer', 'spaces', 'events', 'incubation', 'handoff', 'other'];
    const buckets = [...new Set(tallies.map((t) => t.bucket))];
    return {
      id: 'topics_over_time',
      kind: 'line',
      columns: [c.ui(unit === 'day' ? 'col.day' : 'col.week'), ...topics.map((t) => labelOf(c.ui, 'topic', t))],
      rows: buckets.map((b) => ({
        label: b,
        cells: topics.map((topic) => {
          const t = tallies.find((x) => x.bucket === b && x.key === topic);
          return count(t?.people ?? 0, t?.people ?? 0, c.k);
        }),
      })),
      plot: topics.length,
    };
  },
  async top_questions(c) {
    const qs = await c.store.topQuestions(c.scope);
    return {
      id: 'top_questions',
      kind: 'bar',
      columns: [c.ui('col.label'), c.ui('col.asks'), c.ui('col.people'), c.ui('col.languages'), c.ui('col.answered')],
      rows: qs.map((q) => ({
        label: q.key,
        cells: [count(q.n, q.people, c.k), count(q.people, q.people, c.k), count(q.languages, q.people, c.k), pct(q.answered, q.n, q.people, c.k)],
      })),
    };
  },
  async answer_feedback(c) {
    const rows = await c.store.answerFeedback(c.scope);
    return {
      id: 'answer_feedback',
      kind: 'bar',
      columns: [c.ui('col.label'), c.ui('col.useful'), c.ui('col.notUseful'), c.ui('col.usefulShare'), c.ui('col.people')],
      rows: rows.map((r) => ({
        label: r.key,
        cells: [count(r.useful, r.people, c.k), count(r.notUseful, r.people, c.k), pct(r.useful, r.n, r.people, c.k), count(r.people, r.people, c.k)],
      })),
    };
  },
  async gaps(c) {
    const rows = await c.store.gaps(c.scope);
    const views: GapView[] = rows.map((g) => {
      const visible = g.peopleEver >= c.k || g.cleared;
      return {
        id: g.id,
        langCode: g.lang,
        language: languageName(g.lang),
        text: visible ? redact(g.text, c.knownNames) : null,
        translation: null,
        people: protect(g.people, g.people, c.k),
        asks: protect(g.n, g.people, c.k),
        lastAsked: g.lastAt.toISOString().slice(0, 10),
        handled: g.handled,
        cleared: g.cleared,
      };
    });
    if (c.translate) {
      const todo = views.map((v, i) => ({ v, lang: rows[i]!.lang })).filter((x) => x.v.text !== null && x.lang !== c.uiLang);
      if (todo.length > 0) {
        // Only redacted text leaves the server; a failing translator leaves the original language.
        const out = await c
          .translate(
            todo.map((x) => ({ text: x.v.text!, lang: x.lang })),
            c.uiLang,
          )
          .catch(() => []);
        todo.forEach((x, i) => (x.v.translation = out[i] ? redact(out[i]!, c.knownNames) : null));
      }
    }
    return {
      id: 'gaps',
      kind: 'gaps',
      columns: [c.ui('col.language'), c.ui('col.question'), c.ui('col.people'), c.ui('col.asks'), c.ui('col.lastAsked'), c.ui('col.status')],
      rows: views.map((g) => ({
        label: g.language,
        cells: [
          { t: 'text', v: g.text ?? '' },
          { t: 'n', v: g.people },
          { t: 'n', v: g.asks },
          { t: 'text', v: g.lastAsked },
          { t: 'text', v: g.handled ? 'handled' : 'open' },
        ],
      })),
      gaps: views,
    };
  },
  async spaces_viewed(c) {
    return tallyChart('spaces_viewed', c, await c.store.spacesViewed(c.scope), 'col.views');
  },
  async districts(c) {
    return tallyChart('districts', c, await c.store.searchFacet(c.scope, 'district', c.district), 'col.searches', (k) => k || c.ui('any'));
  },
  async services(c) {
    return tallyChart('services', c, await c.store.searchFacet(c.scope, 'services', c.district), 'col.searches');
  },
  async prices(c) {
    return tallyChart('prices', c, await c.store.searchFacet(c.scope, 'price', c.district), 'col.searches', (k) => k || c.ui('any'));
  },
  async search_languages(c) {
    return tallyChart('search_languages', c, await c.store.searchFacet(c.scope, 'languages', c.district), 'col.searches', languageName);
  },
  async subscriptions(c) {
    return tallyChart('subscriptions', c, await c.store.subscriptions(c.scope), 'col.subscriptions');
  },
  async reminders(c) {
    return tallyChart('reminders', c, await c.store.reminders(c.scope), 'col.reminders');
  },
  async broadcasts(c) {
    const b = await c.store.broadcasts(c.scope);
    return {
      id: 'broadcasts',
      kind: 'bar',
      columns: [c.ui('col.label'), c.ui('col.reached'), c.ui('col.broadcasts')],
      rows: b.map((t) => ({ label: t.key, cells: [count(t.people, t.people, c.k), count(t.n, t.people, c.k)] })),
    };
  },
  async incubation_totals(c) {
    const t = await c.store.incubationTotals(c.scope);
    return {
      id: 'incubation_totals',
      kind: 'stats',
      columns: [c.ui('col.label'), c.ui('col.people')],
      rows: t.map((x) => ({ label: labelOf(c.ui, 'stat', x.key), cells: [count(x.people, x.people, c.k)] })),
    };
  },
  async incubation_funnel(c) {
    const [totals, steps] = await Promise.all([c.store.incubationTotals(c.scope), c.store.funnel(c.scope)]);
    const started = totals.find((t) => t.key === 'started')!;
    const completed = totals.find((t) => t.key === 'completed')!;
    return {
      id: 'incubation_funnel',
      kind: 'funnel',
      columns: [c.ui('col.label'), c.ui('col.reachedStep'), c.ui('col.abandoned')],
      rows: [
        { label: c.ui('stat.started'), cells: [count(started.people, started.people, c.k), { t: 'n', v: null }] },
        ...steps.map((s) => ({
          label: `${s.flow}: ${s.step}`,
          cells: [count(s.people, s.people, c.k), count(s.abandoned, s.abandoned, c.k)] as Cell[],
        })),
        { label: c.ui('stat.completed'), cells: [count(completed.people, completed.people, c.k), { t: 'n', v: null }] },
      ],
    };
  },
  async incubation_stage(c) {
    return peopleChart('incubation_stage', c, await c.store.completionFacet(c.scope, 'stage'));
  },
  async incubation_needs(c) {
    return peopleChart('incubation_needs', c, await c.store.completionFacet(c.scope, 'needs'));
  },
  async incubation_constraints(c) {
    return peopleChart('incubation_constraints', c, await c.store.completionFacet(c.scope, 'constraints'));
  },
  async incubation_support(c) {
    return peopleChart('incubation_support', c, await c.store.completionFacet(c.scope, 'supportLevel'));
  },
  async handoff_totals(c) {
    const [t, wait] = await Promise.all([c.store.handoffTotals(c.scope), c.store.handoffWaitOverall(c.scope)]);
    const get = (key: string) => t.find((x) => x.key === key) ?? { key, n: 0, people: 0 };
    const req = get('requests');
    const replied = get('replied');
    return {
      id: 'handoff_totals',
      kind: 'stats',
      columns: [c.ui('col.label'), c.ui('col.value')],
      rows: [
        { label: c.ui('stat.requests'), cells: [count(req.n, req.people, c.k)] },
        { label: c.ui('stat.people'), cells: [count(req.people, req.people, c.k)] },
        { label: c.ui('stat.safety'), cells: [count(get('safety').n, get('safety').people, c.k)] },
        { label: c.ui('stat.answered'), cells: [pct(replied.n, req.n, req.people, c.k)] },
        { label: c.ui('stat.median'), cells: [minutes(wait.median, wait.people, c.k)] },
        { label: c.ui('stat.p90'), cells: [minutes(wait.p90, wait.people, c.k)] },
      ],
    };
  },
  async handoff_wait(c) {
    const w = await c.store.handoffWaits(c.scope);
    return {
      id: 'handoff_wait',
      kind: 'bar',
      columns: [c.ui('col.language'), c.ui('col.median'), c.ui('col.p90'), c.ui('col.requests'), c.ui('col.replied')],
      rows: w.map((x) => ({
        label: languageName(x.key),
        cells: [minutes(x.median, x.people, c.k), minutes(x.p90, x.people, c.k), count(x.n, x.people, c.k), pct(x.replied, x.n, x.people, c.k)],
      })),
    };
  },
  async handoff_outcomes(c) {
    return tallyChart('handoff_outcomes', c, await c.store.handoffOutcomes(c.scope), 'col.requests');
  },
};

/** Builds one chart. */
export function buildChart(id: ChartId, c: QueryContext): Promise<Chart> {
  return builders[id](c);
}

/** Builds every chart of every section (the whole dashboard). */
export async function buildDashboard(c: QueryContext): Promise<Record<SectionId, Chart[]>> {
  // Concurrent: PostgreSQL runs them on several pool connections; PGlite queues them.
  const entries = await Promise.all(
    (Object.entries(sections) as [SectionId, readonly ChartId[]][]).map(async ([section, ids]) => [section, await Promise.all(ids.map((id) => builders[id](c)))] as const),
  );
  return Object.fromEntries(entries) as Record<SectionId, Chart[]>;
}
