/**
 * A realistic, deterministic event history for the insights dashboard: people in all 16 languages on
 * three channels over a number of days, using every capability in docs/events.md, plus knowledge
 * gaps (some with personal data to redact). Used by the tests and by `npm run bench -- insights`.
 */
import { createHash } from 'node:crypto';
import { languageCodes } from '../../src/i18n/languages.js';
import type { EventRow, GapInsert, InsightsStore } from '../../src/storage/insights-store.js';

export interface SeedOptions {
  people: number;
  days: number;
  now: Date;
  seed?: number;
}

export interface Seeded {
  events: EventRow[];
  gaps: GapInsert[];
  /** Every actor hash used (some may have no event inside the period) (for the "no personal data in the output" checks). */
  actors: string[];
}

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const seedSpaces = [
  'space:pigneto-hub',
  'space:centocelle-lab',
  'space:ostiense-factory',
  'space:esquilino-commons',
  'space:tbm-casa',
  'space:sanlorenzo-desk',
  'space:trastevere-room',
  'space:garbatella-coop',
];
export const seedDistricts = ['Pigneto', 'Centocelle', 'Ostiense', 'Esquilino', 'Tor Bella Monaca', 'San Lorenzo', 'Trastevere', 'Garbatella'];
const services = ['childcare', 'free', 'podcast_studio', 'wifi', 'printer', 'meeting_room', 'accessible', 'lockers'];
const prices = ['free', 'low', 'any'];
const explainers = ['explainer:what-is-coworking', 'explainer:cost', 'explainer:who-can-go', 'explainer:what-to-bring', 'explainer:opening-hours'];
const steps = ['idea', 'stage', 'needs', 'constraints', 'support'];
const needs = ['training:digital', 'training:italian', 'equipment:laptop', 'equipment:printer', 'mentoring:business', 'mentoring:legal'];
const constraints = ['time', 'cost', 'childcare', 'distance', 'language'];
const outcomes = ['answered', 'referred_space', 'referred_service', 'no_reply'];

/** Language weights: the largest groups first, as in the field research; every language appears. */
const langWeight: Record<string, number> = {
  en: 10,
  ar: 12,
  uk: 10,
  fa: 7,
  bn: 8,
  ur: 6,
  fr: 7,
  es: 5,
  ti: 5,
  so: 5,
  ps: 4,
  ru: 4,
  zh: 3,
  it: 6,
  tl: 2,
  ro: 2,
};

/** Gap texts per language (normalised, lower case); some carry personal data the dashboard must redact. */
const gapTexts: Record<string, string[]> = {
  it: ['posso portare mio figlio di 3 anni?', 'mi chiamo giulia bianchi, il mio numero è 333 123 4567, serve la partita iva?'],
  en: ['can i use the space to sell food?', 'write to me at amina.k@example.org about the printer'],
  fr: ['est-ce que je peux dormir sur place ?', 'mon passeport YA1234567 est expiré, je peux venir ?'],
  es: ['¿hay clases de cocina?'],
  ar: ['هل يوجد مكان للصلاة؟', 'اسمي أحمد رقمي 3331234567'],
  fa: ['آیا برای زنان ساعت جداگانه هست؟'],
  ps: ['ایا ماشومان راوستلای شم؟'],
  ur: ['کیا وہاں سلائی مشین ہے؟'],
  bn: ['সেলাই মেশিন আছে কি?'],
  uk: ['чи можна приходити з собакою?', 'мене звати Олена, мій дозвіл AB9876543 закінчився'],
  ru: ['есть ли там душ?'],
  ti: ['ናይ ኮምፒተር ትምህርቲ ኣሎ ዶ?'],
  so: ['ma jiraa meel lagu tukado?'],
  zh: ['可以在那里做直播吗？'],
  tl: ['may libreng kape ba?'],
  ro: ['pot să lucrez noaptea acolo?'],
};

/** The knowledge_gaps id of a seeded gap (numeric, as the real table's bigserial ids). */
export function seedGapId(lang: string, i: number): string {
  return String(Object.keys(gapTexts).indexOf(lang) * 10 + i + 1);
}

/** The first text of each language is the popular one; the others are rare. */
function pickGap(lang: string, r: () => number): { id: string; lang: string; text: string } {
  const texts = gapTexts[lang]!;
  const i = texts.length > 1 && r() < 0.25 ? 1 : 0;
  return { id: seedGapId(lang, i), lang, text: texts[i]! };
}

function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function someOf<T>(xs: readonly T[], r: () => number, p: number): T[] {
  const out = xs.filter(() => r() < p);
  return out.length ? out : [pick(xs, r)];
}

/** A pseudonymous actor id like the pipeline's (16 hex characters). */
export function seedActor(i: number, seed = 1): string {
  return createHash('sha256').update(`seed:${seed}:${i}`).digest('hex').slice(0, 16);
}

/** Builds the history in memory (deterministic for a given seed). */
export function seedHistory(opts: SeedOptions): Seeded {
  const seed = opts.seed ?? 1;
  const r = rng(seed);
  const end = opts.now.getTime();
  const DAY = 86_400_000;
  const events: EventRow[] = [];
  const actors: string[] = [];
  const weighted = Object.entries(langWeight).flatMap(([l, w]) => Array<string>(w).fill(l));
  let answers = 0;
  const gapSeen = new Map<string, { g: { id: string; lang: string; text: string }; count: number; first: number; last: number }>();

  for (let p = 0; p < opts.people; p++) {
    const actor = seedActor(p, seed);
    actors.push(actor);
    const lang = p < languageCodes.length ? languageCodes[p]! : pick(weighted, r);
    const channel = r() < 0.45 ? 'telegram' : r() < 0.75 ? 'whatsapp' : 'web';
    // A quarter of the people first wrote before the period: they come back as returning people.
    const firstDay = Math.floor(r() * opts.days * 1.3);
    const sessions = 1 + Math.floor(r() * r() * 5);
    const base = { actor, channel, lang };
    let t = end - firstDay * DAY - Math.floor(r() * 12 * 3600_000) - 3600_000;
    let first = true;
    let flowDone = false;
    for (let s = 0; s < sessions && t < end; s++) {
      const at = () => new Date((t += 20_000 + Math.floor(r() * 90_000)));
      const push = (type: string, data: object) => events.push({ ...base, type, at: at(), data });
      const messages = 1 + Math.floor(r() * 4);
      for (let m = 0; m < messages; m++) {
        push('message_in', { kind: r() < 0.9 ? 'text' : pick(['choice', 'voice', 'location'], r), newPerson: first });
        first = false;
      }
      if (s === 0 && r() < 0.3) push('language_set', { how: pick(['picker', 'detected', 'command'], r) });
      if (r() < 0.3) push('command', { command: pick(['menu', 'help', 'language'], r) });
      if (r() < 0.1) push('not_understood', { kind: 'text' });
      if (r() < 0.55) {
        const topic = pick(['explainer', 'explainer', 'spaces', 'events', 'other'], r);
        const answered = topic !== 'other' && r() < 0.85;
        const target = !answered ? undefined : topic === 'explainer' ? pick(explainers, r) : topic === 'spaces' ? pick(seedSpaces, r) : 'events';
        push('knowledge_question', target ? { topic, answered, target } : { topic, answered });
        // A 👍 / 👎 on the answer; now and then a change of mind or a withdrawn reaction.
        if (target && r() < 0.3) {
          const answer = (++answers).toString(16).padStart(12, '0');
          push('answer_feedback', { value: r() < 0.75 ? 'useful' : 'not_useful', target, answer });
          if (r() < 0.15) push('answer_feedback', { value: pick(['useful', 'not_useful', 'withdrawn'], r), target, answer });
        }
        if (!answered && r() < 0.7) {
          const g = pickGap(lang, r);
          const ev = { ...base, type: 'knowledge_gap', at: at(), data: { gapId: g.id } };
          events.push(ev);
          const seen = gapSeen.get(g.id) ?? { g, count: 0, first: ev.at.getTime(), last: ev.at.getTime() };
          seen.count++;
          seen.first = Math.min(seen.first, ev.at.getTime());
          seen.last = Math.max(seen.last, ev.at.getTime());
          gapSeen.set(g.id, seen);
        }
      }
      if (r() < 0.4) {
        const data: { district?: string; services: string[]; price?: string; languages?: string[] } = { services: r() < 0.8 ? someOf(services, r, 0.2) : [] };
        if (r() < 0.7) data.district = pick(seedDistricts, r);
        if (r() < 0.5) data.price = pick(prices, r);
        if (r() < 0.3) data.languages = someOf(['en', 'fr', 'ar', 'uk', 'es', 'bn'], r, 0.3);
        push('space_search', data);
      }
      if (r() < 0.35) push('space_viewed', { space: pick(seedSpaces, r) });
      if (r() < 0.12) push('event_subscribed', r() < 0.6 ? { space: pick(seedSpaces, r) } : { topic: pick(['training', 'networking', 'language'], r) });
      if (r() < 0.12) push('reminder_set', { event: `event:${1 + Math.floor(r() * 12)}` });
      if (!flowDone && r() < 0.2) {
        flowDone = true;
        push('flow_started', { flow: 'incubation' });
        let stopped = false;
        for (const step of steps) {
          push('flow_step', { flow: 'incubation', step });
          if (r() < 0.15) {
            push('flow_abandoned', { flow: 'incubation', step });
            stopped = true;
            break;
          }
        }
        if (!stopped) {
          push('flow_completed', {
            flow: 'incubation',
            stage: pick(['none', 'vague', 'vague', 'clear'], r),
            needs: someOf(needs, r, 0.25),
            constraints: someOf(constraints, r, 0.3),
            supportLevel: 1 + Math.floor(r() * 3),
          });
        }
      }
      if (r() < 0.1) {
        const safety = r() < 0.12;
        push('handoff_requested', { priority: safety ? 'safety' : 'normal', reason: safety ? 'safety' : pick(['asked', 'not_understood', 'flow'], r) });
        if (r() < 0.88) {
          push('handoff_claimed', {});
          const waitSeconds = Math.round((safety ? 60 : 300) + r() * r() * (safety ? 900 : 14_400));
          events.push({ ...base, type: 'handoff_first_reply', at: new Date((t += waitSeconds * 1000)), data: { waitSeconds } });
          push('handoff_closed', { outcome: pick(outcomes.slice(0, 3), r) });
        } else if (r() < 0.5) push('handoff_closed', { outcome: 'no_reply' });
      }
      if (r() < 0.01) push('privacy_export', {});
      t += Math.floor((1 + r() * 9) * DAY);
    }
  }
  // Broadcasts are staff actions: no actor, no channel, no language.
  for (let d = 0; d < opts.days; d += 3) {
    const space = pick(seedSpaces, r);
    events.push({ at: new Date(end - d * DAY - 5 * 3600_000), type: 'broadcast_sent', actor: null, channel: null, lang: null, data: { space, reached: Math.floor(r() * 60) } });
  }
  const start = end - opts.days * DAY;
  const kept = events.filter((e) => e.at.getTime() < end && e.at.getTime() >= start);
  const gaps: GapInsert[] = [...gapSeen.values()].map((s) => ({
    id: s.g.id,
    lang: s.g.lang,
    text: s.g.text,
    count: s.count,
    firstAt: new Date(s.first),
    lastAt: new Date(s.last),
  }));
  // Gaps whose only asks fell after `end` would have no events: drop them like their events.
  for (const g of gaps) {
    const mine = kept.filter((e) => e.type === 'knowledge_gap' && (e.data as { gapId: string }).gapId === g.id);
    if (mine.length === 0) continue;
    g.count = mine.length;
    g.firstAt = new Date(Math.min(...mine.map((e) => e.at.getTime())));
    g.lastAt = new Date(Math.max(...mine.map((e) => e.at.getTime())));
  }
  const askedBefore = new Set(kept.filter((e) => e.type === 'knowledge_gap').map((e) => (e.data as { gapId: string }).gapId));
  return { events: kept, gaps: gaps.filter((g) => askedBefore.has(g.id)), actors };
}

/** Writes a seeded history into the database. */
export async function seedInto(store: InsightsStore, seeded: Seeded): Promise<void> {
  await store.insertEvents(seeded.events);
  await store.insertGaps(seeded.gaps);
}
