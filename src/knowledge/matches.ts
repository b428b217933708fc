/**
 * Matches a finished project interview to spaces and upcoming events from the imported content
 * (the flows feature's MatchProvider). Scores only on what the interview found out (enums, a
 * location), never on free text.
 */
import type { EventMatch, MatchCriteria, MatchProvider, SpaceMatch } from '../flows/matches.js';
import type { ServiceTag, Space, TopicTag } from './content.js';
import { opensAtWeekend, opensInEvening } from './hours.js';
import { distanceKm } from './feature.js';
import type { KnowledgeBase } from './knowledge-base.js';

/** Which services answer which need from the interview. */
const servicesForNeed: Record<string, ServiceTag[]> = {
  focus: ['quiet_room', 'desk'],
  people: ['events', 'welcome_desk'],
  training: ['training'],
  equipment: ['maker_lab', 'podcast_studio', 'printer'],
  mentor_guide: ['mentoring', 'welcome_desk'],
  mentor_expert: ['mentoring'],
  italian: ['italian_practice'],
};
const servicesForEquipment: Record<string, ServiceTag[]> = {
  soundproof: ['podcast_studio', 'quiet_room'],
  camera: ['podcast_studio', 'maker_lab'],
  computer: ['printer', 'desk'],
  tools: ['maker_lab'],
};
const topicsForNeed: Record<string, TopicTag[]> = {
  people: ['networking'],
  training: ['training', 'digital_skills'],
  mentor_guide: ['mentoring', 'entrepreneurship'],
  mentor_expert: ['mentoring'],
  italian: ['italian', 'language_exchange'],
};
const topicsForInterest: Record<string, TopicTag[]> = {
  digital: ['digital_skills'],
  media: ['culture'],
  languages: ['language_exchange', 'italian'],
  business: ['entrepreneurship', 'jobs'],
  culture: ['culture'],
  community: ['networking', 'family'],
  crafts: ['culture'],
};

/** A space that cannot fit (too far, too expensive, no childcare when needed) scores undefined. */
function scoreSpace(s: Space, c: MatchCriteria): number | undefined {
  if (c.budget === 'free' && s.price !== 'free') return undefined;
  if (c.budget === 'low' && s.price === 'paid') return undefined;
  if (c.childcare && !s.services.includes('childcare')) return undefined;
  if (c.location && c.maxKm && distanceKm(c.location, s) > c.maxKm) return undefined;
  const wanted = new Set<ServiceTag>([...c.needs.flatMap((n) => servicesForNeed[n] ?? []), ...c.equipment.flatMap((e) => servicesForEquipment[e] ?? [])]);
  let score = [...wanted].filter((w) => s.services.includes(w)).length * 2;
  if (s.languages.includes(c.lang)) score += 2;
  if (c.freeTimes.includes('evenings') && opensInEvening(s.hours)) score += 1;
  if (c.freeTimes.includes('weekends') && opensAtWeekend(s.hours)) score += 1;
  if (c.supportLevel >= 2 && s.services.includes('mentoring')) score += 1;
  if (c.location) score += Math.max(0, 2 - distanceKm(c.location, s) / 5);
  // A place outside the city (a residency) is suggested only when it clearly fits better.
  if (s.services.includes('rural')) score -= 2;
  return score;
}

export function knowledgeMatches(kb: KnowledgeBase, limit = 3): MatchProvider {
  return {
    spaceNames: () => kb.content.spaces.map((s) => s.name),
    async spaces(c) {
      return kb.content.spaces
        .map((s) => ({ s, score: scoreSpace(s, c) }))
        .filter((x): x is { s: Space; score: number } => x.score !== undefined && x.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        .map(({ s }): SpaceMatch => ({ id: s.id, name: s.name, address: s.address || undefined }));
    },
    async events(c, now) {
      const topics = new Set<TopicTag>([...c.needs.flatMap((n) => topicsForNeed[n] ?? []), ...c.topics.flatMap((t) => topicsForInterest[t] ?? [])]);
      const horizon = now.getTime() + 21 * 86_400_000;
      return kb.content.events
        .filter((e) => e.start.getTime() > now.getTime() && e.start.getTime() < horizon)
        .filter((e) => c.budget !== 'free' || e.price === 'free')
        .map((e) => {
          let score = e.topics.filter((t) => topics.has(t)).length * 2;
          const day = e.start.getUTCDay();
          const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: kb.tz }).format(e.start));
          if (c.freeTimes.includes('weekends') && (day === 0 || day === 6)) score += 1;
          if (c.freeTimes.includes('evenings') && hour >= 17) score += 1;
          if (e.languages.includes(c.lang)) score += 1;
          return { e, score };
        })
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score || a.e.start.getTime() - b.e.start.getTime())
        .slice(0, limit)
        .map(({ e }): EventMatch => ({ id: e.id, title: e.titles[c.lang] ?? e.title, startsAt: e.start, spaceName: kb.space(e.spaceId)?.name }));
    },
  };
}
