/**
 * The knowledge feature (choice prefix `know`): the coworking explainer, finding spaces (near a
 * shared location or a named place, with filters), space cards, events, reminders, and answers to
 * free questions from the offline retrieval. It never says a space, event, time, price or phone
 * number that is not in the imported content.
 */
import { offerPerson } from '../handoff/handoff.js';
import type { Clock } from '../clock.js';
import { FeaturePhase, type Feature, type MenuEntry, type Turn } from '../core/feature.js';
import type { Outbox } from '../core/outbox.js';
import { normalizeForMatch } from '../core/text.js';
import { redactQuestion } from '../insights/redact.js';
import type { Choice, OutboundMessage } from '../core/types.js';
import type { Translate, Translator } from '../i18n/i18n.js';
import { pickTranslation } from '../i18n/content.js';
import { formatterFor, intlLocale } from '../i18n/format.js';
import { contentChain, isSupported, languageCodes } from '../i18n/languages.js';
import { languageName as ourLanguageName } from '../i18n/names.js';
import type { ContentTexts, LangFields, PickedText } from '../llm/content-translations.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/queue.js';
import { priceNoteFields, type KnowledgeEvent, type ServiceTag, type Space, type TopicTag } from './content.js';
import { weekdayKeys } from './calendar.js';
import { isOpenAt, opensAtWeekend, opensInEvening, opensOn, readableHours } from './hours.js';
import type { KnowledgeBase, Retrieval } from './knowledge-base.js';
import type { LlmAnswerer, LlmRecord } from './llm.js';
import type { Understanding } from './query.js';
import { UNSURE, type Understanding as UnderstandingReading } from '../understand/intents.js';
import { fromWallTime, startOfDay, wallTime } from './time.js';

export const REMINDER_JOB = 'knowledge.reminder';
const NAME = 'knowledge';
/** How many spaces or events one answer lists. */
const LIST_SIZE = 5;
/** Walking speed for "about N min on foot". */
const WALK_KMH = 4.5;
/** Beyond this distance a walking time is meaningless; only kilometres are shown. */
const WALK_MAX_KM = 5;

/** What the feature remembers between turns: the place and filters of the last space search. */
interface KnowState {
  near?: { lat: number; lng: number; name?: string };
  filters?: string[];
}

export interface KnowledgeFeatureDeps {
  kb: KnowledgeBase;
  translator: Translator;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  /** How the feature tells people about a cancelled or moved event (outside a turn). */
  outbox: Pick<Outbox, 'tell'>;
  /** Reminder delivery: the broadcast engine turns due reminders into delivery records and sends them. */
  reminders?: { deliverDue(): Promise<number[]> };
  /** Rewrites confident answers from the retrieved records when an LLM is configured. */
  llm?: LlmAnswerer;
  /**
   * Content text in the reader's language: stored (reviewed or machine) translations, and new
   * machine translations when a model is configured. Without it, the fallback chain only.
   */
  texts?: ContentTexts;
  /** A shared location farther than this from every space gets "that is far" (LOCATION_MAX_KM; default 50). */
  locationMaxKm?: number;
}

// ------------------------------------------------------------------ small helpers

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** The text in the first language of the person's content chain that has it. */
function pickLang(map: Record<string, string>, lang: string, base?: string): { text?: string; translated: boolean } {
  if (map[lang]) return { text: map[lang], translated: true };
  for (const code of contentChain(lang).slice(1)) if (map[code]) return { text: map[code], translated: false };
  return { text: base, translated: base === undefined };
}

/**
 * The note under content text: "translated automatically" when a shown field is an unreviewed
 * machine translation, "not yet translated" when one comes from the fallback chain.
 */
function noteLine(turn: Turn, shown: (PickedText | undefined)[], fallback: boolean): string {
  const notes: string[] = [];
  if (shown.some((p) => p?.note === 'machine')) notes.push(turn.t('core:machineNote'));
  if (fallback) notes.push(turn.t('knowledge:notTranslated'));
  return notes.length ? `\n\n${notes.join('\n')}` : '';
}

/** A language's name in the reader's language: our curated table for our 16, CLDR for any other. */
function languageName(code: string, lang: string): string {
  if (isSupported(code)) return ourLanguageName(code, lang);
  try {
    const name = new Intl.DisplayNames([intlLocale(lang), 'en'], { type: 'language', fallback: 'none' }).of(code);
    if (name && name !== code) return name;
  } catch {
    // an unknown locale: fall back to English below
  }
  return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
}

/** A weekday's name (0 = Sunday) in the person's language. */
function weekdayName(day: number, lang: string): string {
  // 2026-01-04 was a Sunday; noon UTC is the same day everywhere we format.
  return formatterFor(lang, 'UTC').weekday(new Date(Date.UTC(2026, 0, 4 + day, 12)));
}

/** "Saturday 12 December" in the person's language (the one formatter: Gregorian, full names). */
function formatDay(at: Date, lang: string, tz: string, now: Date): string {
  return formatterFor(lang, tz).date(at, now);
}

/** The next time (today included) the calendar shows `date`, at the start of that day. */
function dateAhead(now: Date, tz: string, date: { month: number; day: number }): Date {
  const today = wallTime(now, tz);
  const passed = date.month < today.month || (date.month === today.month && date.day < today.day);
  return fromWallTime(tz, today.year + (passed ? 1 : 0), date.month, date.day);
}

/** When an event starts, in full words ("Thursday 3 December, 18:30"; the year only when it is not `now`'s). */
export function formatWhen(at: Date, lang: string, tz: string, now: Date): string {
  return formatterFor(lang, tz).dateTime(at, now);
}

function formatTime(at: Date, lang: string, tz: string): string {
  return formatterFor(lang, tz).time(at);
}

/** Walking minutes at {@link WALK_KMH}: to the minute when short, to 5 minutes when longer. */
export function walkMinutes(km: number): number {
  const min = (km / WALK_KMH) * 60;
  return min < 10 ? Math.max(1, Math.round(min)) : Math.round(min / 5) * 5;
}

// ------------------------------------------------------------------ the feature

export class KnowledgeFeature implements Feature {
  readonly name = NAME;
  readonly phase = FeaturePhase.answers;
  readonly menu: readonly MenuEntry[] = [
    { id: 'know:explain', label: 'core:menu.explain', order: 10 },
    { id: 'know:spaces', label: 'core:menu.spaces', order: 20 },
    { id: 'know:events', label: 'core:menu.events', order: 30 },
  ];
  readonly prefixes = ['know'] as const;
  private readonly cancelWords = new Set<string>();

  constructor(private readonly deps: KnowledgeFeatureDeps) {
    for (const lang of languageCodes) for (const w of deps.translator.list(lang, 'knowledge:remind.cancelWords')) this.cancelWords.add(normalizeForMatch(w));
    deps.queue.handle(REMINDER_JOB, (data) => this.sendReminder(data));
  }

  private get kb(): KnowledgeBase {
    return this.deps.kb;
  }

  // ---------------------------------------------------------------- entry points

  async onChoice(turn: Turn, id: string): Promise<void> {
    const [, kind, ...rest] = id.split(':');
    const arg = rest.join(':');
    switch (kind) {
      case 'explain':
        return this.topicList(turn);
      case 't':
        return this.topic(turn, arg);
      case 'spaces':
        return this.askWhere(turn);
      case 'list':
        turn.setState(NAME, { near: this.state(turn).near, filters: [] });
        return this.listSpaces(turn);
      case 'f': {
        const st = this.state(turn);
        const filters = arg === 'clear' ? [] : [...new Set([...(st.filters ?? []), arg])];
        turn.setState(NAME, { ...st, filters });
        return this.listSpaces(turn);
      }
      case 's':
        return this.spaceCard(turn, arg);
      case 'events':
        return this.listEvents(turn, {});
      case 'ev':
        return this.listEvents(turn, arg.startsWith('space.') ? { spaceId: arg.slice(6) } : { when: arg === 'free' ? undefined : arg, free: arg === 'free' });
      case 'e':
        return this.eventCard(turn, arg);
      case 'r':
        return this.remind(turn, arg);
      case 'rc':
        return this.cancelReminder(turn, arg);
      default:
        turn.say({ text: turn.t('knowledge:answer.noAnswer'), choices: this.ownMenu(turn) });
    }
  }

  async onDeepLink(turn: Turn, payload: string): Promise<boolean> {
    const m = /^space_([a-z0-9_-]+)$/.exec(payload);
    if (!m || !this.kb.space(m[1]!)) return false;
    turn.event('knowledge_deeplink', { space: m[1] });
    await this.spaceCard(turn, m[1]!);
    return true;
  }

  async onInput(turn: Turn): Promise<boolean> {
    const c = turn.content;
    if (c.type === 'location') {
      const near = { lat: Math.round(c.lat * 1000) / 1000, lng: Math.round(c.lng * 1000) / 1000 };
      if (this.tooFar(turn, near)) return true;
      turn.setState(NAME, { ...this.state(turn), near });
      turn.event('knowledge_near', { how: 'location' });
      await this.listSpaces(turn);
      return true;
    }
    if (c.type !== 'text') return false;
    if (this.cancelWords.has(normalizeForMatch(c.text))) {
      await this.cancelReminder(turn, '');
      return true;
    }
    // Without an understanding step (a bot built without one), free questions go to the retrieval.
    if (!turn.understanding) return this.answer(turn, c.text, await this.kb.retrieve(c.text, turn.lang));
    return false;
  }

  /** What the understanding step read, answered from the content (the retrieval fills in the details). */
  readonly intents = {
    find_space: (turn: Turn, u: UnderstandingReading) => this.answerIntent(turn, u),
    events: (turn: Turn, u: UnderstandingReading) => this.answerIntent(turn, u),
    explain: (turn: Turn, u: UnderstandingReading) => this.answerIntent(turn, u),
    other: (turn: Turn, u: UnderstandingReading) => this.answerIntent(turn, u),
  };

  private async answerIntent(turn: Turn, u: UnderstandingReading): Promise<boolean> {
    const c = turn.content;
    const text = c.type === 'text' ? c.text : c.type === 'image' || c.type === 'document' ? (c.caption ?? '') : '';
    if (!text) return false;
    const r = await this.kb.retrieve(text, turn.lang);
    const q = r.understanding;
    const top = r.candidates[0];
    const sure = u.confidence >= UNSURE && u.intent !== 'other';
    const named = q.spaces[0]?.space;
    switch (sure ? u.intent : 'other') {
      case 'find_space': {
        turn.event('knowledge_answer', { kind: named ? 'space' : 'spaces' });
        if (named) return this.open(turn, `space:${named.id}`, q);
        return this.open(turn, 'spaces', q);
      }
      case 'events':
        turn.event('knowledge_answer', { kind: 'events' });
        return this.open(turn, 'events', q);
      case 'explain': {
        if (named) return this.open(turn, `space:${named.id}`, q);
        // The retrieval's answer when it is sure of a topic; else the topic the step read; else the list.
        if (r.confident && top?.ref.startsWith('explainer:')) return this.answer(turn, text, r);
        const topic = u.entities.explain_topic ?? r.candidates.find((x) => x.ref.startsWith('explainer:') && x.score >= 3)?.ref.slice(10);
        turn.event('knowledge_answer', { kind: 'explainer' });
        if (topic) await this.topic(turn, topic);
        else await this.topicList(turn);
        return true;
      }
      default:
        // Unsure or another intent: only a confident retrieval answers (a named space, a clear topic).
        if (r.confident && top) return this.answer(turn, text, r);
        await this.recordGap(turn, text, top ? 'unsure' : 'none');
        return false;
    }
  }

  /**
   * Upcoming events on some topics (the legal info desk for a residence-permit question), listed
   * with their buttons; says nothing and returns false when there are none.
   */
  async eventsAbout(turn: Turn, topics: TopicTag[], heading: string): Promise<boolean> {
    const events = this.eventsFor({ topics }, turn.now).slice(0, 3);
    if (events.length === 0) return false;
    const titles = await this.eventTitles(events, turn.lang);
    const lines = events.map(
      (e, i) => `• ${formatWhen(e.start, turn.lang, this.kb.tz, turn.now)} — ${titles[i]!.text} (${this.kb.space(e.spaceId)?.name ?? ''}, ${turn.t(`knowledge:price.${e.price}`)})`,
    );
    turn.say({ text: `${heading}\n${lines.join('\n')}`, choices: events.map((e, i) => ({ id: `know:e:${e.id}`, label: titles[i]!.text })) });
    return true;
  }

  // ---------------------------------------------------------------- free questions

  private async answer(turn: Turn, text: string, r: Retrieval): Promise<boolean> {
    const u = r.understanding;
    const top = r.candidates[0];
    if (r.confident && top) {
      turn.event('knowledge_answer', { kind: top.ref.split(':')[0] });
      if (this.deps.llm && (await this.llmAnswer(turn, text, top.ref))) return true;
      return this.open(turn, top.ref, u);
    }
    await this.recordGap(turn, text, top ? 'unsure' : 'none');
    // A clarifying question only when the words are ours; "how do I renew my passport" gets a plain "I don't know".
    const options = r.coverage >= 0.4 ? r.candidates.filter((c) => c.score >= 3).slice(0, 3) : [];
    if (options.length > 0) {
      turn.say({
        text: turn.t('knowledge:answer.clarify'),
        choices: [
          ...(await this.choicesFor(
            turn,
            options.map((o) => o.ref),
          )),
          { id: 'cmd:human', label: turn.t('knowledge:buttons.human') },
        ],
      });
      return true;
    }
    if (turn.misses >= 1) {
      offerPerson(turn);
      return true;
    }
    turn.event('not_understood', { kind: 'text' });
    turn.say({ text: turn.t('knowledge:answer.noAnswer'), choices: this.ownMenu(turn) });
    return true;
  }

  /** Shows what a candidate reference points to. */
  private async open(turn: Turn, ref: string, u?: Understanding): Promise<boolean> {
    const [kind, id] = ref.split(':');
    if (kind === 'explainer') await this.topic(turn, id!);
    else if (kind === 'space') await this.spaceCard(turn, id!);
    else if (kind === 'events') await this.listEvents(turn, u ? this.eventQuery(u) : {});
    else if (kind === 'spaces') {
      const filters = u ? this.spaceFilters(u, turn.now) : [];
      const near = u?.place ? { lat: u.place.lat, lng: u.place.lng, name: u.place.name } : this.state(turn).near;
      turn.setState(NAME, { near, filters });
      if (!near && !filters.length) await this.askWhere(turn);
      else await this.listSpaces(turn);
    }
    return true;
  }

  /** The model's answer from the retrieved records; false (nothing said) when it is not usable. */
  private async llmAnswer(turn: Turn, question: string, ref: string): Promise<boolean> {
    const [kind, id] = ref.split(':');
    const lang = turn.lang;
    const records: LlmRecord[] = [];
    let place: OutboundMessage['place'];
    if (kind === 'explainer') {
      const t = this.kb.content.explainer.find((x) => x.id === id);
      if (!t) return false;
      records.push({ kind: 'topic', name: pickLang(t.title, lang).text ?? t.id, facts: { text: pickLang(t.text, lang).text } });
    } else if (kind === 'space') {
      const s = this.kb.space(id!);
      if (!s) return false;
      records.push({
        kind: 'space',
        name: s.name,
        facts: {
          district: s.districts[0],
          address: s.address || undefined,
          hours: readableHours(s.hours, lang) || undefined,
          price: s.price,
          priceNote: pickLang(priceNoteFields(s), lang, s.priceNote).text,
          services: s.services,
          staffLanguages: s.languages.map((l) => languageName(l, lang)),
          phone: s.phone,
          email: s.email,
          website: s.website,
          description: pickLang(s.descriptions, lang, s.description).text,
          verified: s.verified,
          ...(s.verified ? {} : { note: 'unverified' }),
        },
      });
      for (const e of this.kb.content.events.filter((e) => e.spaceId === s.id && (e.end ?? e.start) > turn.now).slice(0, 2)) {
        records.push({ kind: 'event', name: this.title(e, lang).text, facts: { when: formatWhen(e.start, lang, this.kb.tz, turn.now), price: e.price, space: s.name } });
      }
      if (s.address) place = { name: s.name, address: s.address, lat: s.lat, lng: s.lng };
    } else return false;
    const c = this.kb.content;
    const knownNames = [...c.spaces.map((s) => s.name), ...c.events.flatMap((e) => [e.title, ...Object.values(e.titles)])];
    const text = await this.deps.llm!.answer(question, lang, records, knownNames);
    if (!text) return false;
    turn.event('knowledge_llm', { kind });
    const choices: Choice[] =
      kind === 'space'
        ? [
            { id: `know:s:${id}`, label: turn.t('knowledge:buttons.details') },
            { id: 'know:spaces', label: turn.t('knowledge:buttons.otherSpaces') },
            { id: 'cmd:menu', label: turn.t('knowledge:buttons.menu') },
          ]
        : [
            { id: 'know:explain', label: turn.t('knowledge:buttons.otherTopics') },
            { id: 'cmd:menu', label: turn.t('knowledge:buttons.menu') },
          ];
    if (place) {
      turn.say({ text });
      turn.say({ place, choices });
    } else turn.say({ text, choices });
    return true;
  }

  /** Buttons for candidate references; topic titles use stored translations (no model call). */
  private async choicesFor(turn: Turn, refs: string[]): Promise<Choice[]> {
    const topics = refs.map((ref) => {
      const [kind, id] = ref.split(':');
      return kind === 'explainer' ? this.kb.content.explainer.find((x) => x.id === id) : undefined;
    });
    const withTitle = topics.filter((t): t is NonNullable<typeof t> => !!t);
    const titles = await this.listTexts(
      withTitle.map((t) => ({ ref: `explainer:${t.id}`, fields: t.title })),
      'title',
      turn.lang,
    );
    const titleOf = new Map(withTitle.map((t, i) => [t.id, titles[i]?.text]));
    return refs.map((ref): Choice => {
      const [kind, id] = ref.split(':');
      if (kind === 'explainer') return { id: `know:t:${id}`, label: titleOf.get(id!) ?? id! };
      if (kind === 'space') return { id: `know:s:${id}`, label: this.kb.space(id!)?.name ?? id! };
      if (kind === 'events') return { id: 'know:events', label: turn.t('knowledge:buttons.events') };
      return { id: 'know:spaces', label: turn.t('knowledge:buttons.spaces') };
    });
  }

  private async recordGap(turn: Turn, text: string, kind: 'none' | 'unsure'): Promise<void> {
    // The events table gets no free text; the question itself goes, redacted, to knowledge_gaps.
    const norm = redactQuestion(text);
    const gapId = norm ? await this.kb.store.recordGap(turn.lang, norm, turn.now, turn.person.id) : undefined;
    turn.event('knowledge_gap', { kind, ...(gapId !== undefined ? { gapId } : {}) });
  }

  // ---------------------------------------------------------------- explainer

  private async topicList(turn: Turn): Promise<void> {
    const topics = this.kb.content.explainer;
    const titles = await this.listTexts(
      topics.map((t) => ({ ref: `explainer:${t.id}`, fields: t.title })),
      'title',
      turn.lang,
    );
    turn.say({
      text: turn.t('knowledge:explain.intro'),
      choices: topics.map((t, i) => ({ id: `know:t:${t.id}`, label: titles[i]?.text ?? t.id })),
    });
  }

  private async topic(turn: Turn, id: string): Promise<void> {
    const t = this.kb.content.explainer.find((x) => x.id === id);
    if (!t) return this.topicList(turn);
    const { title, text } = await this.texts(`explainer:${t.id}`, { title: t.title, text: t.text }, turn.lang);
    turn.event('knowledge_topic', { topic: id });
    turn.say({
      text: `${title?.text ?? ''}\n\n${text?.text ?? ''}${noteLine(turn, [title, text], text?.note === 'fallback')}`,
      choices: [
        { id: 'know:explain', label: turn.t('knowledge:buttons.otherTopics') },
        { id: 'know:spaces', label: turn.t('knowledge:buttons.spaces') },
        { id: 'know:events', label: turn.t('knowledge:buttons.events') },
        { id: 'cmd:menu', label: turn.t('knowledge:buttons.menu') },
      ],
    });
  }

  // ---------------------------------------------------------------- spaces

  private state(turn: Turn): KnowState {
    return turn.state<KnowState>(NAME) ?? {};
  }

  private askWhere(turn: Turn): void {
    // Examples from the content itself, so another city's directory gets its own place names.
    const c = this.kb.content;
    const examples = [c.spaces.find((s) => s.address)?.districts[0], c.gazetteer.find((g) => g.kind === 'station')?.name].filter((x): x is string => !!x);
    turn.say({
      text: turn.t('knowledge:spaces.ask', { examples: formatterFor(turn.lang, this.kb.tz).orList(examples) }),
      choices: [...this.filterChoices(turn, []), { id: 'know:list', label: turn.t('knowledge:filter.all') }],
    });
  }

  private filterChoices(turn: Turn, active: string[]): Choice[] {
    const main = ['free', 'now', 'evening', 'weekend'].filter((f) => !active.includes(f));
    return [...main.map((f) => ({ id: `know:f:${f}`, label: this.filterLabel(turn, f) })), ...(active.length ? [{ id: 'know:f:clear', label: turn.t('knowledge:filter.clear') }] : [])];
  }

  private filterLabel(turn: Turn, f: string): string {
    if (f.startsWith('svc.')) return turn.t(`knowledge:service.${f.slice(4)}`);
    if (f === 'morning') return turn.t('days:morning');
    const day = /^day\.(\d)(?:\.(evening|morning))?$/.exec(f);
    if (day) return turn.t(day[2] === 'evening' ? 'days:openOnEvening' : day[2] === 'morning' ? 'days:openOnMorning' : 'days:openOn', { day: weekdayName(Number(day[1]), turn.lang) });
    if (f.startsWith('lang.')) return turn.t('knowledge:filter.speaks', { language: languageName(f.slice(5), turn.lang) });
    return turn.t(`knowledge:filter.${f}`);
  }

  /**
   * Filters for a space search from what the question says. A named day ("open on Sunday",
   * "domenica", "12 December", "tomorrow") asks for spaces open that day by their hours, with the
   * part of the day when one is named ("on Tuesday evening"); "the weekend" for Saturday or Sunday.
   */
  private spaceFilters(u: Understanding, now: Date): string[] {
    const f: string[] = [];
    if (u.price) f.push(u.price);
    if (u.times.includes('now')) f.push('now');
    const day = this.namedDay(u, now);
    const part = u.times.includes('evening') || u.times.includes('tonight') ? 'evening' : u.times.includes('morning') ? 'morning' : undefined;
    if (day !== undefined) f.push(part ? `day.${day}.${part}` : `day.${day}`);
    else if (part) f.push(part);
    if (u.times.includes('weekend') && day === undefined) f.push('weekend');
    const services = new Set<ServiceTag>(u.services.filter((s) => s !== 'desk' && s !== 'events'));
    if (u.topics.includes('italian') || u.topics.includes('language_exchange')) services.add('italian_practice');
    for (const s of services) f.push(`svc.${s}`);
    // Italian and English are spoken almost everywhere; asking for them is usually about practice, not staff.
    for (const l of u.languages) if (l !== 'it' && l !== 'en') f.push(`lang.${l}`);
    return f;
  }

  /** The weekday (0 = Sunday) a question names: a weekday, a date, "tomorrow", "the day after tomorrow". */
  private namedDay(u: Understanding, now: Date): number | undefined {
    const named = weekdayKeys.findIndex((k) => u.times.includes(k));
    if (named >= 0) return named;
    const date = u.dates[0];
    if (date) return wallTime(dateAhead(now, this.kb.tz, date), this.kb.tz).weekday;
    const ahead = u.inDays ?? (u.times.includes('tomorrow') ? 1 : u.times.includes('today') && !u.times.includes('now') ? 0 : undefined);
    return ahead === undefined ? undefined : wallTime(startOfDay(now, this.kb.tz, ahead), this.kb.tz).weekday;
  }

  private matches(space: Space, f: string, now: Date): boolean {
    if (f === 'free') return space.price === 'free';
    if (f === 'low') return space.price === 'free' || space.price === 'low';
    if (f === 'now') return isOpenAt(space.hours, now, this.kb.tz);
    if (f === 'evening') return opensInEvening(space.hours);
    if (f === 'morning') return [0, 1, 2, 3, 4, 5, 6].some((d) => opensOn(space.hours, d, 'morning'));
    if (f === 'weekend') return opensAtWeekend(space.hours);
    const day = /^day\.(\d)(?:\.(evening|morning))?$/.exec(f);
    if (day) return opensOn(space.hours, Number(day[1]), day[2] as 'evening' | 'morning' | undefined);
    if (f.startsWith('svc.')) return space.services.includes(f.slice(4) as ServiceTag);
    if (f.startsWith('lang.')) return space.languages.includes(f.slice(5));
    return true;
  }

  /**
   * A location far from every space (another country, a wrong pin): an honest answer with the
   * nearest space and its distance, instead of a "near you" list. The location is not remembered.
   */
  private tooFar(turn: Turn, near: { lat: number; lng: number }): boolean {
    const located = this.kb.content.spaces.filter((s) => s.address.trim() !== '');
    const nearest = located.map((s) => ({ s, km: distanceKm(near, s) })).sort((a, b) => a.km - b.km)[0];
    if (!nearest || nearest.km <= (this.deps.locationMaxKm ?? 50)) return false;
    turn.setState(NAME, { ...this.state(turn), near: undefined });
    turn.event('knowledge_far', { km: Math.round(nearest.km / 10) * 10 });
    const km = formatterFor(turn.lang, this.kb.tz).number(Math.round(nearest.km), 0);
    turn.say({
      text: turn.t('knowledge:spaces.farAway', { space: nearest.s.name, km }),
      choices: [
        { id: 'know:list', label: turn.t('knowledge:filter.all') },
        { id: `know:s:${nearest.s.id}`, label: nearest.s.name },
        { id: 'cmd:human', label: turn.t('knowledge:buttons.human') },
      ],
    });
    return true;
  }

  private async listSpaces(turn: Turn): Promise<void> {
    const { near, filters = [] } = this.state(turn);
    let spaces = this.kb.content.spaces.filter((s) => filters.every((f) => this.matches(s, f, turn.now)));
    // A space without a street address has placeholder coordinates: never rank it by distance.
    if (near) spaces = spaces.filter((s) => s.address.trim() !== '').sort((a, b) => distanceKm(near, a) - distanceKm(near, b));
    turn.event('knowledge_spaces', { near: !!near, filters: filters.length, found: spaces.length });
    const filterText = filters.length ? `\n${turn.t('knowledge:spaces.filters', { filters: formatterFor(turn.lang, this.kb.tz).list(filters.map((f) => this.filterLabel(turn, f))) })}` : '';
    if (spaces.length === 0) {
      turn.say({
        text: `${turn.t('knowledge:spaces.none')}${filterText}`,
        choices: [
          { id: 'know:f:clear', label: turn.t('knowledge:filter.clear') },
          { id: 'cmd:human', label: turn.t('knowledge:buttons.human') },
        ],
      });
      return;
    }
    const shown = spaces.slice(0, LIST_SIZE);
    const heading = near ? (near.name ? turn.t('knowledge:spaces.nearPlace', { place: near.name }) : turn.t('knowledge:spaces.nearYou')) : turn.t('knowledge:spaces.all');
    const lines = shown.map((s, i) => {
      const price = turn.t(`knowledge:price.${s.price}`);
      let line = `${i + 1}. ${s.name} — ${s.districts[0]} (${price})`;
      if (near) {
        const km = distanceKm(near, s);
        const kmText = formatterFor(turn.lang, this.kb.tz).number(km, 1);
        line += km <= WALK_MAX_KM ? `\n   ${turn.t('knowledge:spaces.walk', { km: kmText, min: walkMinutes(km) })}` : `\n   ${turn.t('knowledge:spaces.far', { km: kmText })}`;
      }
      return line;
    });
    turn.say({
      text: `${heading}${filterText}\n\n${lines.join('\n')}\n\n${turn.t('knowledge:spaces.choose')}`,
      choices: [...shown.map((s) => ({ id: `know:s:${s.id}`, label: s.name })), ...this.filterChoices(turn, filters)],
    });
  }

  private async spaceCard(turn: Turn, id: string): Promise<void> {
    const s = this.kb.space(id);
    if (!s) return this.askWhere(turn);
    const t = turn.t;
    const lang = turn.lang;
    turn.event('knowledge_space', { space: s.id });
    const { description: desc, price_note: priceNote } = await this.texts(`space:${s.id}`, { description: s.descriptions, price_note: priceNoteFields(s) }, lang);
    const hours = readableHours(s.hours, lang);
    const f = formatterFor(lang, this.kb.tz);
    const upcoming = this.kb.content.events.filter((e) => e.spaceId === s.id && (e.end ?? e.start) > turn.now).slice(0, 2);
    const upTitles = await this.eventTitles(upcoming, lang);
    // The description's own note already says "translated automatically" when it is machine-made.
    const titleNote = upTitles.some((p) => p.note === 'machine') && desc?.note !== 'machine' ? `\n(${t('core:machineNote')})` : '';
    const services = s.services.map((x) => t(`knowledge:service.${x}`));
    const contact = [s.phone, s.email, s.website].filter((x): x is string => !!x);
    const lines = [
      `${s.name} — ${s.districts[0]}`,
      desc ? `\n${desc.text}${desc.note === 'fallback' ? ` ${t('knowledge:notTranslatedShort')}` : desc.note === 'machine' ? `\n(${t('core:machineNote')})` : ''}\n` : '',
      services.length ? t('knowledge:card.services', { list: f.list(services) }) : '',
      s.languages.length ? t('knowledge:card.languages', { list: f.list(s.languages.map((l) => languageName(l, lang))) }) : '',
      hours ? t('knowledge:card.hours', { hours }) : t('knowledge:card.hoursUnknown'),
      t(`knowledge:card.price.${s.price}`) +
        (priceNote
          ? ` (${priceNote.text})${priceNote.note === 'fallback' ? ` ${t('knowledge:notTranslatedShort')}` : priceNote.note === 'machine' && desc?.note !== 'machine' ? `\n(${t('core:machineNote')})` : ''}`
          : ''),
      s.address ? t('knowledge:card.address', { address: s.address }) : t('knowledge:card.addressUnknown'),
      contact.length ? t('knowledge:card.contact', { contact: contact.join(' · ') }) : '',
      upcoming.length ? `\n${t('knowledge:card.nextEvents')}\n${upcoming.map((e, i) => `• ${formatWhen(e.start, lang, this.kb.tz, turn.now)} — ${upTitles[i]!.text}`).join('\n')}${titleNote}` : '',
      s.verified ? '' : `\n⚠️ ${t('knowledge:card.unverified')}`,
    ].filter((l) => l !== '');
    const choices: Choice[] = [
      ...upcoming.map((e, i) => ({ id: `know:e:${e.id}`, label: upTitles[i]!.text })),
      { id: `bc:follow:${s.id}`, label: t('broadcast:followButton') }, // the broadcast feature: follow this space
      { id: 'know:spaces', label: t('knowledge:buttons.otherSpaces') },
      { id: 'cmd:menu', label: t('knowledge:buttons.menu') },
    ];
    turn.say({ text: lines.join('\n') });
    // The map: a native location where the channel has one, else the renderer writes a map link.
    if (s.address) turn.say({ place: { name: s.name, address: s.address, lat: s.lat, lng: s.lng }, choices });
    else turn.say({ text: t('knowledge:card.more'), choices });
  }

  // ---------------------------------------------------------------- events

  private title(e: KnowledgeEvent, lang: string): { text: string; translated: boolean } {
    const p = pickLang(e.titles, lang, e.title);
    return { text: p.text ?? e.title, translated: p.translated };
  }

  private eventQuery(u: Understanding): EventQuery {
    const order: EventQuery['when'][] = ['tonight', 'today', 'tomorrow', 'weekend', 'this_week', 'evening', 'morning'];
    const date = u.dates[0];
    const weekday = weekdayKeys.findIndex((k) => u.times.includes(k));
    // A named date or weekday is the most precise ("Tuesday evening": Tuesday, after 17:00).
    const when = date ? `date.${date.month}.${date.day}` : weekday >= 0 ? `day.${weekday}` : u.inDays !== undefined ? `in.${u.inDays}` : order.find((w) => u.times.includes(w as never));
    return {
      when,
      part: u.times.includes('evening') || u.times.includes('tonight') ? 'evening' : u.times.includes('morning') ? 'morning' : undefined,
      free: u.price === 'free',
      topics: u.topics,
      spaceId: u.spaces[0]?.space.id,
    };
  }

  /** Events matching a query, in start order, that have not ended. */
  eventsFor(q: EventQuery, now: Date): KnowledgeEvent[] {
    const tz = this.kb.tz;
    let from = now;
    let to = new Date(now.getTime() + 14 * 86_400_000);
    const today = wallTime(now, tz);
    switch (q.when) {
      case 'today':
        to = startOfDay(now, tz, 1);
        break;
      case 'tonight':
        to = startOfDay(now, tz, 1);
        break;
      case 'tomorrow':
        from = startOfDay(now, tz, 1);
        to = startOfDay(now, tz, 2);
        break;
      case 'weekend': {
        // Saturday and Sunday of this week; on a Sunday, the rest of today.
        const toSat = (6 - today.weekday + 7) % 7;
        from = today.weekday === 0 || today.weekday === 6 ? now : startOfDay(now, tz, toSat);
        to = startOfDay(now, tz, today.weekday === 0 ? 1 : toSat + 2);
        break;
      }
      case 'this_week':
        to = new Date(now.getTime() + 7 * 86_400_000);
        break;
      default: {
        // A weekday (the next one, today included), a date (the next one), or N days from today.
        const day = /^day\.(\d)$/.exec(q.when ?? '');
        const date = /^date\.(\d{1,2})\.(\d{1,2})$/.exec(q.when ?? '');
        const ahead = /^in\.(\d{1,2})$/.exec(q.when ?? '');
        let start: Date | undefined;
        if (day) start = startOfDay(now, tz, (Number(day[1]) - today.weekday + 7) % 7);
        else if (date) start = startOfDay(dateAhead(now, tz, { month: Number(date[1]), day: Number(date[2]) }), tz);
        else if (ahead) start = startOfDay(now, tz, Number(ahead[1]));
        if (start) {
          from = start > now ? start : now;
          to = startOfDay(start, tz, 1);
        }
      }
    }
    return this.kb.content.events.filter((e) => {
      const end = e.end ?? e.start;
      if (end <= from || e.start >= to || end <= now) return false;
      if ((q.when === 'tonight' || q.when === 'evening' || q.part === 'evening') && wallTime(e.start, tz).hour < 17) return false;
      if ((q.when === 'morning' || q.part === 'morning') && wallTime(e.start, tz).hour >= 13) return false;
      if (q.free && e.price !== 'free') return false;
      if (q.spaceId && e.spaceId !== q.spaceId) return false;
      if (q.topics?.length && !q.topics.some((t) => e.topics.includes(t))) return false;
      return true;
    });
  }

  private async listEvents(turn: Turn, q: EventQuery): Promise<void> {
    const t = turn.t;
    const events = this.eventsFor(q, turn.now);
    turn.event('knowledge_events', { when: q.when ?? 'upcoming', free: !!q.free, topics: q.topics?.length ?? 0, found: events.length });
    const filterChoices: Choice[] = [
      { id: 'know:ev:tonight', label: t('knowledge:filter.tonight') },
      { id: 'know:ev:tomorrow', label: t('knowledge:filter.tomorrow') },
      { id: 'know:ev:weekend', label: t('knowledge:filter.thisWeekend') },
      { id: 'know:ev:free', label: t('knowledge:filter.freeEvents') },
    ];
    const space = q.spaceId ? this.kb.space(q.spaceId) : undefined;
    const heading = space ? t('knowledge:events.atSpace', { space: space.name }) : this.eventsHeading(turn, q);
    if (events.length === 0) {
      turn.say({ text: `${heading}\n\n${t('knowledge:events.none')}`, choices: [...filterChoices, { id: 'know:events', label: t('knowledge:buttons.events') }] });
      return;
    }
    const shown = events.slice(0, LIST_SIZE);
    const titles = await this.listTexts(
      shown.map((e) => ({ ref: `event:${e.id}`, fields: e.titles })),
      'title',
      turn.lang,
    );
    const titleOf = (i: number) => titles[i]?.text ?? shown[i]!.title;
    const lines = shown.map((e, i) => {
      const where = this.kb.space(e.spaceId)?.name ?? '';
      return `${i + 1}. ${formatWhen(e.start, turn.lang, this.kb.tz, turn.now)} — ${titleOf(i)}\n   ${where} · ${t(`knowledge:price.${e.price}`)}`;
    });
    const more = events.length > shown.length ? `\n${t('knowledge:events.more', { count: events.length - shown.length })}` : '';
    turn.say({
      text: `${heading}\n\n${lines.join('\n')}${more}${noteLine(
        turn,
        titles,
        titles.some((p) => p?.note === 'fallback'),
      )}\n\n${t('knowledge:events.choose')}`,
      choices: [...shown.map((e, i) => ({ id: `know:e:${e.id}`, label: titleOf(i) })), ...filterChoices.filter((c) => c.id !== `know:ev:${q.when ?? ''}`)],
    });
  }

  private eventsHeading(turn: Turn, q: EventQuery): string {
    const t = turn.t;
    const day = /^day\.(\d)$/.exec(q.when ?? '');
    if (day) return t('days:eventsOn', { day: weekdayName(Number(day[1]), turn.lang) });
    const date = /^date\.(\d{1,2})\.(\d{1,2})$/.exec(q.when ?? '');
    const ahead = /^in\.(\d{1,2})$/.exec(q.when ?? '');
    if (date || ahead) {
      const at = date ? dateAhead(turn.now, this.kb.tz, { month: Number(date[1]), day: Number(date[2]) }) : startOfDay(turn.now, this.kb.tz, Number(ahead![1]));
      return t('days:eventsOn', { day: formatDay(at, turn.lang, this.kb.tz, turn.now) });
    }
    if (q.when === 'morning') return t('days:eventsMorning');
    return t(`knowledge:events.heading.${q.when ?? (q.free ? 'free' : 'upcoming')}`);
  }

  private async eventCard(turn: Turn, id: string): Promise<void> {
    const e = this.kb.event(id);
    if (!e) return this.listEvents(turn, {});
    const t = turn.t;
    const lang = turn.lang;
    const picked = await this.texts(`event:${e.id}`, { title: e.titles, description: e.descriptions }, lang);
    const title = picked.title ?? { text: e.title, lang, note: 'none' as const };
    const desc = picked.description;
    const space = this.kb.space(e.spaceId);
    const when = formatWhen(e.start, lang, this.kb.tz, turn.now) + (e.end ? `–${formatTime(e.end, lang, this.kb.tz)}` : '');
    turn.event('knowledge_event', { event: e.id });
    const lines = [
      title.text,
      desc ? `\n${desc.text}\n` : '',
      t('knowledge:event.when', { when }),
      t('knowledge:event.where', { space: space ? `${space.name} — ${space.districts[0]}` : e.spaceId }),
      t('knowledge:event.price', { price: t(`knowledge:price.${e.price}`) }),
      e.languages.length ? t('knowledge:event.languages', { list: formatterFor(lang, this.kb.tz).list(e.languages.map((l) => languageName(l, lang))) }) : '',
      noteLine(turn, [title, desc], title.note === 'fallback' || desc?.note === 'fallback').slice(1),
    ].filter((l) => l !== '');
    turn.say({
      text: lines.join('\n'),
      choices: [
        { id: `know:r:${e.id}`, label: t('knowledge:event.remind') },
        { id: `know:s:${e.spaceId}`, label: t('knowledge:event.aboutSpace') },
        { id: 'know:events', label: t('knowledge:buttons.events') },
      ],
    });
  }

  // ---------------------------------------------------------------- reminders

  private async remind(turn: Turn, eventId: string): Promise<void> {
    const e = this.kb.event(eventId);
    if (!e) return this.listEvents(turn, {});
    const offsets = [
      { name: 'day', runAt: new Date(e.start.getTime() - 24 * 3_600_000) },
      { name: 'hour', runAt: new Date(e.start.getTime() - 3_600_000) },
    ].filter((o) => o.runAt > turn.now);
    if (offsets.length === 0) {
      turn.say({ text: turn.t('knowledge:remind.tooLate'), choices: this.ownMenu(turn) });
      return;
    }
    let added = 0;
    for (const o of offsets) {
      if (!(await this.kb.store.addReminder(turn.person.id, e.id, o.name, o.runAt, turn.channel))) continue;
      added++;
      await this.deps.queue.add(
        REMINDER_JOB,
        { personId: turn.person.id, eventId: e.id, offset: o.name, channel: turn.channel },
        { runAt: o.runAt, key: `reminder:${turn.person.id}:${e.id}:${o.name}`, priority: 'bulk' },
      );
    }
    turn.event('knowledge_reminder', { action: added ? 'set' : 'exists' });
    const cancel = { id: `know:rc:${e.id}`, label: turn.t('knowledge:remind.cancel') };
    if (added === 0) {
      turn.say({ text: turn.t('knowledge:remind.already'), choices: [cancel, { id: 'know:events', label: turn.t('knowledge:buttons.events') }] });
      return;
    }
    turn.say({ text: turn.t(offsets.length === 2 ? 'knowledge:remind.set' : 'knowledge:remind.setOne'), choices: [cancel, { id: 'know:events', label: turn.t('knowledge:buttons.events') }] });
  }

  private async cancelReminder(turn: Turn, eventId: string): Promise<void> {
    const n = await this.kb.store.cancelReminders(turn.person.id, eventId || undefined);
    turn.event('knowledge_reminder', { action: n ? 'cancel' : 'cancel_none' });
    turn.say({ text: turn.t(n ? 'knowledge:remind.cancelled' : 'knowledge:remind.noneToCancel'), choices: this.ownMenu(turn) });
  }

  /**
   * An event was cancelled: its scheduled reminders are cancelled and each person who had one is
   * told once, in their language, through the outbox. Returns how many people were told.
   */
  async eventCancelled(e: KnowledgeEvent): Promise<number> {
    const people = await this.kb.store.cancelEventReminders(e.id);
    return this.tellAboutEvent(e, people, 'broadcast:eventCancelled', (t) => ({ id: 'know:events', label: t('knowledge:buttons.events') }));
  }

  /**
   * An event's start moved from `previousStart`: its scheduled reminders move by the same amount
   * (the row and its queued job; one that would now be due is cancelled), and each person who had
   * one is told once, in their language. Returns how many people were told.
   */
  async eventMoved(e: KnowledgeEvent, previousStart: Date): Promise<number> {
    const shifted = await this.kb.store.shiftEventReminders(e.id, e.start.getTime() - previousStart.getTime(), this.deps.clock.now());
    const people = new Map<string, string | null>();
    for (const r of shifted) {
      people.set(r.personId, r.channel);
      // The job keeps its key; an old-time job that did not move would remind at the wrong time.
      if (r.status === 'scheduled') await this.deps.queue.reschedule(`reminder:${r.personId}:${e.id}:${r.offsetName}`, r.runAt);
    }
    return this.tellAboutEvent(
      e,
      [...people].map(([personId, channel]) => ({ personId, channel })),
      'broadcast:eventMoved',
      (t) => ({ id: `know:e:${e.id}`, label: t('knowledge:buttons.details') }),
    );
  }

  /** Tells each person once, in their language, through the outbox, what changed about an event. Returns how many were told. */
  private async tellAboutEvent(e: KnowledgeEvent, people: { personId: string; channel: string | null }[], key: string, choice: (t: Translate) => Choice): Promise<number> {
    let told = 0;
    for (const { personId, channel } of people) {
      if (!channel) continue;
      const sent = await this.deps.outbox.tell(
        personId,
        channel as Parameters<Outbox['tell']>[1],
        async (t, lang) => {
          const [title] = await this.eventTitles([e], lang);
          return [{ text: t(key, { title: title!.text, when: formatWhen(e.start, lang, this.kb.tz, this.deps.clock.now()) }), choices: [choice(t)] }];
        },
        { priority: 'bulk', at: this.deps.clock.now() },
      );
      if (sent) told++;
    }
    return told;
  }

  /**
   * The reminder job, queued at the reminder's time: due reminders become delivery records and the
   * delivery engine sends them (see src/broadcast/reminders.ts). Running it twice, or together with
   * the engine's periodic check, sends nothing twice: a reminder becomes a record only once.
   */
  async sendReminder(_data: Record<string, unknown>): Promise<void> {
    const delivery = this.deps.reminders;
    if (!delivery) throw new Error('knowledge: reminder delivery is not connected');
    await delivery.deliverDue();
  }

  /**
   * The reminder of an event in every language, as a broadcast's messages: the text per language and
   * the event's title (the WhatsApp template's parameter outside the 24-hour window). Undefined when
   * the event is no longer in the content.
   */
  reminderMessages(eventId: string, offset: string): { spaceId: string; text: Record<string, string>; title: Record<string, string> } | undefined {
    const e = this.kb.event(eventId);
    if (!e) return undefined;
    const space = this.kb.space(e.spaceId);
    const text: Record<string, string> = {};
    const title: Record<string, string> = {};
    for (const lang of languageCodes) {
      const t = this.deps.translator.for(lang);
      title[lang] = this.title(e, lang).text;
      text[lang] = t(offset === 'day' ? 'knowledge:remind.dayBefore' : 'knowledge:remind.hourBefore', {
        when: formatWhen(e.start, lang, this.kb.tz, this.deps.clock.now()),
        title: title[lang],
        space: space?.name ?? '',
      });
    }
    return { spaceId: e.spaceId, text, title };
  }

  /** Fields of one content record in the reader's language (see {@link ContentTexts.pickAll}). */
  private async texts<K extends string>(ref: string, record: Record<K, LangFields>, lang: string): Promise<Partial<Record<K, PickedText>>> {
    if (this.deps.texts) return this.deps.texts.pickAll(ref, record, lang);
    const out: Partial<Record<K, PickedText>> = {};
    for (const field of Object.keys(record) as K[]) {
      const p = pickTranslation(record[field], lang);
      if (p) out[field] = { text: p.text, lang: p.lang, note: p.fallback ? 'fallback' : 'none' };
    }
    return out;
  }

  /**
   * Event titles for lists, buttons and messages sent later (reminders, notices): the reader's
   * language, else a stored translation, else the fallback chain — never a model call.
   */
  private async eventTitles(events: KnowledgeEvent[], lang: string): Promise<PickedText[]> {
    const picked = await this.listTexts(
      events.map((e) => ({ ref: `event:${e.id}`, fields: e.titles })),
      'title',
      lang,
    );
    return events.map((e, i) => picked[i] ?? { text: this.title(e, lang).text, lang, note: 'none' });
  }

  /** One field of many records for a list or buttons: stored translations only, no model call. */
  private async listTexts(items: { ref: string; fields: LangFields }[], field: string, lang: string): Promise<(PickedText | undefined)[]> {
    if (this.deps.texts) return this.deps.texts.pickStored(items, field, lang);
    return items.map(({ fields }) => {
      const p = pickTranslation(fields, lang);
      return p && { text: p.text, lang: p.lang, note: p.fallback ? 'fallback' : 'none' };
    });
  }

  /** The knowledge feature's own short menu (its answers' follow-ups), not the main menu. */
  private ownMenu(turn: Turn): Choice[] {
    return [
      { id: 'know:explain', label: turn.t('knowledge:buttons.explain') },
      { id: 'know:spaces', label: turn.t('knowledge:buttons.spaces') },
      { id: 'know:events', label: turn.t('knowledge:buttons.events') },
      { id: 'cmd:human', label: turn.t('knowledge:buttons.human') },
    ];
  }
}

/** What an events answer lists. */
export interface EventQuery {
  /** today, tonight, tomorrow, weekend, this_week, evening, morning; `day.<0–6>` (0 = Sunday), `date.<month>.<day>`, `in.<days>`. */
  when?: 'today' | 'tonight' | 'tomorrow' | 'weekend' | 'this_week' | 'evening' | 'morning' | string;
  /** The part of the day named with a day ("Tuesday evening"). */
  part?: 'evening' | 'morning';
  free?: boolean;
  topics?: TopicTag[];
  spaceId?: string;
}
