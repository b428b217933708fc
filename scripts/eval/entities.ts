/**
 * Eval section: the entities the offline query parser (`src/knowledge/query.ts`: the gazetteer and
 * the lexicon in every script) finds, against the labels: place, services, when, topic, price,
 * children.
 *
 * For each kind: recall on the cases labelled with it (the label found; for a list, every labelled
 * service found) and the extra findings on cases that do not carry it (a place found in a message
 * that names none, a service nobody asked for). `place: "other:<name>"` (a city or country outside
 * Rome) is right when no Rome place is found.
 */
import { join } from 'node:path';
import { dataDir, loadContent } from '../../src/knowledge/content.js';
import { Matcher, type Understanding } from '../../src/knowledge/query.js';
import type { EvalCase } from './cases.js';

export const title = 'Entities (place, services, when, topic)';

/** The parser's reading in the labels' vocabulary. */
export function labelsOf(u: Understanding): { place?: string; services: string[]; when: string[]; topic: string[]; price?: string; children: boolean } {
  return {
    place: u.place?.name,
    services: u.services.filter((s) => s !== 'events' && s !== 'training'),
    when: u.times,
    topic: u.topics,
    price: u.price,
    children: u.services.includes('childcare') || u.topics.includes('family'),
  };
}

interface Tally {
  labelled: number;
  right: number;
  extra: number;
  misses: string[];
}

const tally = (): Tally => ({ labelled: 0, right: 0, extra: 0, misses: [] });
const pct = (a: number, n: number) => (n ? `${((a / n) * 100).toFixed(1)}%` : '—');

export default async function entities(cases: EvalCase[]): Promise<string> {
  const content = loadContent(join(dataDir, 'demo'), { now: new Date('2026-11-26T10:00:00+01:00'), timezone: 'Europe/Rome' });
  const matcher = new Matcher(content);
  const t = { place: tally(), services: tally(), when: tally(), topic: tally(), price: tally(), children: tally() };
  for (const c of cases) {
    const found = labelsOf(matcher.understand(c.text));
    const e = c.entities ?? {};
    const miss = (k: keyof typeof t, said: unknown) => t[k].misses.push(`${c.id} [${c.lang}] want ${JSON.stringify(e[k === 'topic' ? 'topic' : k])} got ${JSON.stringify(said)}: ${c.text}`);
    // place
    if (e.place) {
      t.place.labelled++;
      const ok = e.place.startsWith('other:') ? !found.place : found.place === e.place;
      if (ok) t.place.right++;
      else miss('place', found.place);
    } else if (found.place) t.place.extra++;
    // services (childcare is also counted as `children`)
    const wanted = (e.services ?? []).filter((s) => s !== 'events' && s !== 'training');
    if (wanted.length) {
      t.services.labelled++;
      if (wanted.every((s) => found.services.includes(s))) t.services.right++;
      else miss('services', found.services);
    }
    t.services.extra += found.services.filter((s) => !wanted.includes(s) && !(s === 'childcare' && e.children)).length;
    // when
    if (e.when) {
      t.when.labelled++;
      if (found.when.includes(e.when)) t.when.right++;
      else miss('when', found.when);
    } else if (found.when.length) t.when.extra++;
    // topic (events)
    if (e.topic) {
      t.topic.labelled++;
      if (found.topic.includes(e.topic as never)) t.topic.right++;
      else miss('topic', found.topic);
    }
    // price
    if (e.price) {
      t.price.labelled++;
      if (found.price === e.price || (e.price === 'low' && found.price === 'free')) t.price.right++;
      else miss('price', found.price);
    } else if (found.price) t.price.extra++;
    // children
    if (e.children) {
      t.children.labelled++;
      if (found.children) t.children.right++;
      else miss('children', found.children);
    } else if (found.children) t.children.extra++;
  }
  const lines = ['kind       labelled  found   recall  extra (found where not labelled)'];
  for (const [k, v] of Object.entries(t)) lines.push(`${k.padEnd(10)} ${String(v.labelled).padStart(8)} ${String(v.right).padStart(6)} ${pct(v.right, v.labelled).padStart(8)}  ${v.extra}`);
  if (process.env.EVAL_MISSES) {
    for (const [k, v] of Object.entries(t)) if (v.misses.length) lines.push('', `${k} misses:`, ...v.misses.map((m) => `  ${m}`));
  }
  return lines.join('\n');
}
