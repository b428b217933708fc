/**
 * Independent counts of the dashboard's figures, computed in TypeScript straight from the seeded
 * events (not with the SQL under test), following the definitions in docs/events.md.
 */
import type { EventRow, Scope, Tally } from '../../src/storage/insights-store.js';

type Data = Record<string, unknown>;
const data = (e: EventRow) => e.data as Data;

export function inScope(e: EventRow, s: Scope, types: string[]): boolean {
  return types.includes(e.type) && e.at >= s.from && e.at < s.to && (!s.channel || e.channel === s.channel) && (!s.lang || e.lang === s.lang);
}

const formats = new Map<string, Intl.DateTimeFormat>();
const days = new Map<string, string>();

export function localDay(at: Date, tz: string): string {
  const key = `${tz} ${at.getTime()}`;
  let day = days.get(key);
  if (day === undefined) {
    let f = formats.get(tz);
    if (!f) formats.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
    day = f.format(at);
    days.set(key, day);
  }
  return day;
}

export function bucketOf(at: Date, tz: string, unit: 'day' | 'week'): string {
  const day = localDay(at, tz);
  if (unit === 'day') return day;
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/** Counts events and distinct actors per key; a key function may return several keys or none. */
export function tally(events: EventRow[], key: (e: EventRow) => string | string[] | null | undefined): Tally[] {
  const m = new Map<string, { n: number; people: Set<string> }>();
  for (const e of events) {
    const k = key(e);
    for (const one of k === null || k === undefined ? [] : Array.isArray(k) ? k : [k]) {
      const t = m.get(one) ?? { n: 0, people: new Set<string>() };
      t.n++;
      if (e.actor) t.people.add(e.actor);
      m.set(one, t);
    }
  }
  return [...m.entries()].map(([k, t]) => ({ key: k, n: t.n, people: t.people.size }));
}

/** Tallies as a sorted plain object, for order-free comparison. */
export function asMap<T extends { key: string }>(xs: T[]): Record<string, Omit<T, 'key'>> {
  return Object.fromEntries([...xs].sort((a, b) => a.key.localeCompare(b.key)).map(({ key, ...rest }) => [key, rest]));
}

export function reachTotals(events: EventRow[], s: Scope) {
  const msgs = events.filter((e) => inScope(e, s, ['message_in']) && e.actor);
  const people = new Set(msgs.map((e) => e.actor));
  const fresh = new Set(msgs.filter((e) => data(e).newPerson === true).map((e) => e.actor));
  const conversations = new Set(msgs.map((e) => `${e.actor} ${localDay(e.at, s.timezone)}`));
  return { people: people.size, newPeople: fresh.size, conversations: conversations.size };
}

export function reachOverTime(events: EventRow[], s: Scope, unit: 'day' | 'week') {
  const msgs = events.filter((e) => inScope(e, s, ['message_in']) && e.actor);
  const buckets = [...new Set(msgs.map((e) => bucketOf(e.at, s.timezone, unit)))].sort();
  return buckets.flatMap((b) => {
    const inB = msgs.filter((e) => bucketOf(e.at, s.timezone, unit) === b);
    const people = new Set(inB.map((e) => e.actor)).size;
    const fresh = new Set(inB.filter((e) => data(e).newPerson === true).map((e) => e.actor)).size;
    const conv = new Set(inB.map((e) => `${e.actor} ${localDay(e.at, s.timezone)}`)).size;
    return [
      { bucket: b, key: 'people', n: people, people },
      { bucket: b, key: 'new', n: fresh, people: fresh },
      { bucket: b, key: 'conversations', n: conv, people },
    ];
  });
}

export function reachBy(events: EventRow[], s: Scope, column: 'channel' | 'lang'): Tally[] {
  return tally(
    events.filter((e) => inScope(e, s, ['message_in']) && e.actor),
    (e) => e[column] ?? '',
  ).map((t) => ({ ...t, n: t.people }));
}

/** Incubation charts count the project interview only (not onboarding or subscriptions runs). */
const incubationOnly = (e: EventRow): boolean => !['flow_started', 'flow_completed'].includes(e.type) || data(e).flow === 'incubation';

export const topicTypes = ['knowledge_question', 'space_search', 'space_viewed', 'event_subscribed', 'reminder_set', 'flow_started', 'handoff_requested'];

export function topicOf(e: EventRow): string {
  if (e.type === 'knowledge_question') return (data(e).topic as string) || 'other';
  if (e.type === 'space_search' || e.type === 'space_viewed') return 'spaces';
  if (e.type === 'event_subscribed' || e.type === 'reminder_set') return 'events';
  return e.type === 'flow_started' ? 'incubation' : 'handoff';
}

export function topics(events: EventRow[], s: Scope): Tally[] {
  return tally(
    events.filter((e) => inScope(e, s, topicTypes) && incubationOnly(e)),
    topicOf,
  );
}

export function topicsOverTime(events: EventRow[], s: Scope, unit: 'day' | 'week') {
  const es = events.filter((e) => inScope(e, s, topicTypes) && incubationOnly(e));
  return tally(es, (e) => `${bucketOf(e.at, s.timezone, unit)}|${topicOf(e)}`).map((t) => {
    const [bucket, key] = t.key.split('|') as [string, string];
    return { bucket, key, n: t.n, people: t.people };
  });
}

export function questions(events: EventRow[], s: Scope) {
  const qs = events.filter((e) => inScope(e, s, ['knowledge_question']) && data(e).target);
  return tally(qs, (e) => data(e).target as string).map((t) => {
    const mine = qs.filter((e) => data(e).target === t.key);
    return { ...t, languages: new Set(mine.map((e) => e.lang)).size, answered: mine.filter((e) => data(e).answered === true).length };
  });
}

/** Feedback on answers: each person's latest value per answer, then counted per target. */
export function answerFeedback(events: EventRow[], s: Scope) {
  const latest = new Map<string, EventRow>();
  for (const e of events.filter((x) => inScope(x, s, ['answer_feedback']) && x.actor)) {
    const key = `${e.actor} ${String(data(e).answer)}`;
    const seen = latest.get(key);
    if (!seen || e.at >= seen.at) latest.set(key, e);
  }
  const counted = [...latest.values()].filter((e) => data(e).value === 'useful' || data(e).value === 'not_useful');
  return tally(counted, (e) => data(e).target as string).map((t) => {
    const mine = counted.filter((e) => data(e).target === t.key);
    const useful = mine.filter((e) => data(e).value === 'useful').length;
    return { ...t, useful, notUseful: mine.length - useful };
  });
}

/** Fields holding lists: a missing list counts nothing (a missing scalar counts as ''). */
const arrayFields = ['services', 'languages', 'needs', 'constraints'];

export function facet(events: EventRow[], s: Scope, type: string, field: string, district?: string): Tally[] {
  const es = events.filter((e) => inScope(e, s, [type]) && incubationOnly(e) && (!district || data(e).district === district));
  return tally(es, (e) => {
    const v = data(e)[field];
    if (Array.isArray(v)) return v as string[];
    if (arrayFields.includes(field)) return null;
    return v === undefined || v === null ? '' : String(v);
  });
}

export function subscriptions(events: EventRow[], s: Scope): Tally[] {
  return tally(
    events.filter((e) => inScope(e, s, ['event_subscribed'])),
    (e) => (data(e).space ? `space:${data(e).space}` : data(e).topic ? `topic:${data(e).topic}` : 'all'),
  );
}

export function broadcasts(events: EventRow[], s: Scope): Tally[] {
  const m = new Map<string, { n: number; people: number }>();
  for (const e of events) {
    if (e.type !== 'broadcast_sent' || e.at < s.from || e.at >= s.to) continue;
    const t = m.get(data(e).space as string) ?? { n: 0, people: 0 };
    t.n++;
    t.people += data(e).reached as number;
    m.set(data(e).space as string, t);
  }
  return [...m.entries()].map(([key, t]) => ({ key, ...t }));
}

export function incubationTotals(events: EventRow[], s: Scope): Record<string, number> {
  const es = events.filter((e) => inScope(e, s, ['flow_started', 'flow_completed', 'handoff_requested']) && e.actor && incubationOnly(e));
  const started = new Set(es.filter((e) => e.type === 'flow_started').map((e) => e.actor));
  const done = new Map<string, number>();
  for (const e of es) if (e.type === 'flow_completed') done.set(e.actor!, Math.min(done.get(e.actor!) ?? Infinity, e.at.getTime()));
  let handed = 0;
  for (const [actor, at] of done) if (es.some((e) => e.type === 'handoff_requested' && e.actor === actor && e.at.getTime() >= at)) handed++;
  return { started: started.size, completed: done.size, handed_off: handed };
}

export function funnel(events: EventRow[], s: Scope) {
  const es = events.filter((e) => inScope(e, s, ['flow_step', 'flow_abandoned']));
  const keys = [...new Set(es.map((e) => `${data(e).flow}|${data(e).step}`))];
  return keys.map((key) => {
    const mine = es.filter((e) => `${data(e).flow}|${data(e).step}` === key);
    const reached = new Set(mine.filter((e) => e.type === 'flow_step').map((e) => e.actor)).size;
    return { key, people: reached, n: reached, abandoned: new Set(mine.filter((e) => e.type === 'flow_abandoned').map((e) => e.actor)).size };
  });
}

export function handoffTotals(events: EventRow[], s: Scope): Tally[] {
  const es = events.filter((e) => inScope(e, s, ['handoff_requested', 'handoff_claimed', 'handoff_first_reply']));
  const out = tally(es, (e) => (e.type === 'handoff_requested' ? 'requests' : e.type === 'handoff_claimed' ? 'claimed' : 'replied'));
  const safety = tally(
    es.filter((e) => e.type === 'handoff_requested' && data(e).priority === 'safety'),
    () => 'safety',
  );
  return [...out, ...(safety.length ? safety : [{ key: 'safety', n: 0, people: 0 }])];
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

export function handoffWaits(events: EventRow[], s: Scope) {
  const es = events.filter((e) => inScope(e, s, ['handoff_requested', 'handoff_first_reply']));
  const langs = [...new Set(es.map((e) => e.lang ?? ''))];
  return langs.map((key) => {
    const mine = es.filter((e) => (e.lang ?? '') === key);
    const req = mine.filter((e) => e.type === 'handoff_requested');
    const waits = mine.filter((e) => e.type === 'handoff_first_reply').map((e) => data(e).waitSeconds as number);
    return {
      key,
      n: req.length,
      people: new Set(req.map((e) => e.actor)).size,
      replied: waits.length,
      median: percentileCont(waits, 0.5),
      p90: percentileCont(waits, 0.9),
    };
  });
}

export function gapPeople(events: EventRow[], s: Scope | null, gapId: string): { n: number; people: number } {
  const es = events.filter((e) => e.type === 'knowledge_gap' && data(e).gapId === gapId && (!s || inScope(e, s, ['knowledge_gap'])));
  return { n: es.length, people: new Set(es.map((e) => e.actor)).size };
}
