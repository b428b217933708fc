/**
 * The knowledge base: imports a content directory (validate everything, then write in one
 * transaction), keeps the parsed content in memory (no per-message reloading), and ranks answers to
 * free questions offline (lexicon + Postgres full-text search + trigram).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { normalizeForMatch } from '../core/text.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { jsonColumn } from '../storage/json-column.js';
import { KnowledgeStore, type KnowledgeDoc } from '../storage/knowledge-store.js';
import { StaffContentStore, type SpaceEdit, type StaffEvent } from '../storage/staff-content-store.js';
import { staffContentChecks } from './staff-checks.js';
import { ContentError, dataDir, italianOrEnglish, loadContent, storedEventSchema, storedSpaceSchema, type KnowledgeContent, type KnowledgeEvent, type Space } from './content.js';
import { weekdayKeys } from './calendar.js';
import { Matcher, type Understanding } from './query.js';
import { indexTokens, queryTerms } from './search-text.js';

/** A ranked answer candidate: `explainer:<id>`, `space:<id>` or `events`. */
export interface Candidate {
  ref: string;
  score: number;
}

export interface Retrieval {
  understanding: Understanding;
  candidates: Candidate[];
  /** The best candidate is clearly the answer. */
  confident: boolean;
  /** Share of the question's longer words found anywhere in the content (0–1). */
  coverage: number;
}

/** Scores above this, with a clear lead, are answered directly. */
const CONFIDENT_SCORE = 5;
const CONFIDENT_LEAD = 1.25;
/** Below this nothing is offered (not even a clarifying question). */
const MIN_SCORE = 3;
/** Share of a question's longer words that must occur in the content for a confident explainer answer. */
const MIN_COVERAGE = 0.6;
const EVENT_BASE = 6;
const FTS_CAP = 10;
const CONCEPT_BONUS = 3;

export class KnowledgeBase {
  readonly store: KnowledgeStore;
  /** Read-only here: staff changes go through `app.staffContent`, which calls {@link refreshStaffContent}. */
  private readonly staff: StaffContentStore;
  /** The staff content's version this process answers from (see {@link refreshIfStale}). */
  private staffVersion = '';
  /** The imported content, before staff edits and events are laid over it. */
  private imported!: KnowledgeContent;
  private current!: KnowledgeContent;
  private matcherValue!: Matcher;

  constructor(
    db: Db,
    private readonly timezone: string,
    private readonly log?: Logger,
  ) {
    this.store = new KnowledgeStore(db);
    this.staff = new StaffContentStore(db, { checks: staffContentChecks });
  }

  get content(): KnowledgeContent {
    return this.current;
  }
  get matcher(): Matcher {
    return this.matcherValue;
  }
  get tz(): string {
    return this.timezone;
  }

  /**
   * Validates `dir` and, when every file is valid, replaces the stored content with it.
   * `load` reads it (default: now); the app passes what it read while the database was opening.
   * @throws ContentError (nothing changed) when any row is wrong.
   */
  async importDir(dir: string, now: Date, load: () => KnowledgeContent = () => loadContent(dir, { now, timezone: this.timezone })): Promise<{ spaces: number; events: number; unchanged: boolean }> {
    const content = load();
    // The search documents follow what the bot answers: the import with the staff edits over it.
    const merged = await this.overlay(content);
    const docs = contentDocs(merged);
    const hash = createHash('sha256')
      .update(JSON.stringify({ s: content.spaces, e: content.events, d: docs }))
      .digest('hex');
    const unchanged = (await this.store.contentHash()) === hash;
    if (!unchanged) {
      await this.store.replaceContent(
        content.spaces.map((s) => ({ id: s.id, data: s })),
        content.events.map((e) => ({ id: e.id, spaceId: e.spaceId, start: e.start, data: e })),
        docs,
        hash,
      );
    }
    this.imported = content;
    this.use(merged);
    return { spaces: content.spaces.length, events: content.events.length, unchanged };
  }

  /**
   * Loads content at start: `dir` when valid; otherwise the last accepted import from the database
   * (with the explainer, lexicon and gazetteer from `data/`), so a bad edit never empties the bot.
   * `load` as for {@link importDir}.
   */
  async open(dir: string, now: Date, load?: () => KnowledgeContent): Promise<void> {
    try {
      await this.importDir(dir, now, load);
      return;
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      this.log?.error({ problems: err.issues.length, first: err.issues.slice(0, 5) }, 'knowledge: content not imported; using the previous import');
    }
    const base = loadContent(join(dataDir, 'demo'), { now, timezone: this.timezone });
    const stored = await this.store.storedContent();
    const spaces = stored.spaces.map((s) => storedSpaces.parse(s.data, s.id));
    const events = stored.events.map((e) => storedEvents.parse(e.data, e.id));
    this.imported = { ...base, spaces, events, source: 'database' };
    this.use(await this.overlay(this.imported));
  }

  /** The imported content with the staff's space edits and active events laid over it. */
  private async overlay(content: KnowledgeContent): Promise<KnowledgeContent> {
    this.staffVersion = await this.staff.version();
    const edits = new Map((await this.staff.spaceEdits()).map((e) => [e.spaceId, e.edit]));
    const spaces = content.spaces.map((s) => (edits.has(s.id) ? applySpaceEdit(s, edits.get(s.id)!) : s));
    const ids = new Set(spaces.map((s) => s.id));
    // A space missing from a new import hides its staff events until it comes back.
    const staffEvents = (await this.staff.listEvents()).filter((e) => ids.has(e.spaceId)).map(staffEventToKnowledge);
    if (edits.size === 0 && staffEvents.length === 0) return content;
    const events = [...content.events, ...staffEvents].sort((a, b) => a.start.getTime() - b.start.getTime());
    return { ...content, spaces, events };
  }

  /**
   * Re-reads the staff content when another process changed it (it rewrote the search documents
   * already). Cheap when nothing changed: one small query. Returns whether it reloaded.
   */
  async refreshIfStale(): Promise<boolean> {
    if ((await this.staff.version()) === this.staffVersion) return false;
    this.use(await this.overlay(this.imported));
    return true;
  }

  /**
   * Re-reads the staff edits and events and answers from them at once. With `spaceId`, that space's
   * search documents are rewritten too (its description may have changed); events have none.
   */
  async refreshStaffContent(spaceId?: string): Promise<void> {
    const merged = await this.overlay(this.imported);
    if (spaceId) {
      const space = merged.spaces.find((s) => s.id === spaceId);
      const docs = space ? buildDocs({ ...merged, explainer: [], spaces: [space] }) : [];
      await this.store.replaceDocs(`space:${spaceId}`, docs);
    }
    this.use(merged);
  }

  private use(content: KnowledgeContent): void {
    this.current = content;
    this.matcherValue = new Matcher(content);
  }

  /** A space as imported, without staff edits (to tell which fields staff really changed). */
  importedSpace(id: string): Space | undefined {
    return this.imported.spaces.find((s) => s.id === id);
  }

  space(id: string): Space | undefined {
    return this.current.spaces.find((s) => s.id === id);
  }
  event(id: string): KnowledgeEvent | undefined {
    return this.current.events.find((e) => e.id === id);
  }

  /** Ranks the answers to a free question. */
  async retrieve(text: string, lang: string): Promise<Retrieval> {
    const u = this.matcher.understand(text);
    const scores = new Map<string, number>();
    const add = (ref: string, v: number) => scores.set(ref, (scores.get(ref) ?? 0) + v);
    const terms = queryTerms(text, lang);
    const result = await this.store.search(terms, normalizeForMatch(text), lang, 12);
    const found = result.docs;
    // Coverage: how many of the question's longer words the content knows at all. "Can I bring my
    // cat to the moon?" shares "bring" with a childcare paraphrase but "cat" and "moon" are unknown.
    // (Answered by the search query itself: one round trip per question instead of two.)
    const content = terms.filter((t) => t.content);
    const known = result.known(content);
    const coverage = content.length ? known.size / content.length : 1;
    for (const f of found) {
      // Capped: long questions (and Chinese, split into words and characters) pile up word matches.
      const s = Math.min(FTS_CAP, f.score) + 6 * Math.max(0, f.similarity - 0.2);
      if (f.ref.startsWith('space:')) continue; // spaces are recognised by name below, never by loose words
      add(f.ref, s);
    }
    // Lexicon concepts that an explainer topic answers (the lexicon knows these words in every language).
    const concepts: [boolean, string][] = [
      [u.services.includes('childcare') || u.topics.includes('family'), 'explainer:childcare'],
      [u.services.includes('mentoring') || u.topics.includes('mentoring'), 'explainer:mentor'],
      [u.services.includes('italian_practice') || u.topics.includes('italian') || u.topics.includes('language_exchange'), 'explainer:italian_practice'],
      [u.price !== undefined, 'explainer:cost'],
      [u.services.includes('rural'), 'explainer:residencies'],
    ];
    const timeWords = u.times.filter((t) => t !== 'now').length;
    // "a coworking open at the weekend" asks for a space; "what's on at the weekend" for events.
    const timeForEvents = u.intents.events > 0 || u.intents.spaces === 0 ? timeWords : 0;
    const eventSignal = u.intents.events * 3 + timeForEvents * 3 + (u.topics.length && (u.intents.events || timeForEvents) ? 1 : 0);
    const filters = spaceFilterCount(u);
    let spacesSignal = 0;
    if (u.place) spacesSignal = 8 + filters + 2 * Math.min(2, u.intents.spaces);
    else if (u.intents.near > 0 && (u.intents.spaces > 0 || filters > 0)) spacesSignal = 6 + filters;
    else if (u.intents.spaces > 0 && filters > 0 && !u.intents.events) spacesSignal = 5 + filters;
    if (spacesSignal && !u.spaces.length) add('spaces', spacesSignal + (eventSignal ? 0 : 2));
    // "free" or "children" alone ask about the explainer topic; with a place or a space word they are filters.
    if (!eventSignal && !spacesSignal) for (const [hit, ref] of concepts) if (hit) add(ref, CONCEPT_BONUS);

    for (const { space, score } of u.spaces) add(`space:${space.id}`, 10 * score);
    if (eventSignal > 0 && !u.spaces.length) add('events', EVENT_BASE + 2 * eventSignal);
    const candidates = [...scores.entries()].map(([ref, score]) => ({ ref, score })).sort((a, b) => b.score - a.score);
    const [first, second] = candidates;
    // Named spaces, places and event words are exact signals; word overlap needs most words known.
    // Time words alone ("tomorrow") are not enough for events: "weather in Paris tomorrow" is not ours.
    const exact = !!first && !first.ref.startsWith('explainer:') && (first.ref !== 'events' || u.intents.events > 0 || coverage >= MIN_COVERAGE);
    const confident = !!first && first.score >= CONFIDENT_SCORE && (!second || first.score >= second.score * CONFIDENT_LEAD) && (exact || coverage >= MIN_COVERAGE);
    return { understanding: u, candidates, confident, coverage };
  }
}

/** How many space filters a question names (price, opening time, services, staff languages). */
export function spaceFilterCount(u: Understanding): number {
  const services = u.services.filter((x) => x !== 'desk' && x !== 'events' && x !== 'rural').length;
  const times = u.times.filter((t) => t === 'now' || t === 'evening' || t === 'weekend' || t === 'morning' || (weekdayKeys as readonly string[]).includes(t)).length + (u.dates.length ? 1 : 0);
  const langs = u.languages.filter((l) => l !== 'it' && l !== 'en').length;
  return (u.price ? 1 : 0) + services + times + langs;
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？።؟۔।])\s*/u)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** A space card with staff edits applied (missing fields keep the imported value). */
export function applySpaceEdit(s: Space, e: SpaceEdit): Space {
  const out: Space = { ...s };
  if (e.hours) out.hours = e.hours;
  if (e.services) out.services = e.services;
  if (e.languages) out.languages = e.languages;
  if (e.priceNote !== undefined) {
    // The staff write the note in their own language; it replaces the imported ones (translated again from it).
    out.priceNote = e.priceNote || undefined;
    out.priceNotes = e.priceNote ? { [e.sourceLang ?? italianOrEnglish(e.priceNote)]: e.priceNote } : {};
  }
  if (e.descriptions) {
    out.descriptions = e.descriptions;
    // The plain description follows the staff's own language (it is indexed for every language).
    out.description = (e.sourceLang && e.descriptions[e.sourceLang]) || Object.values(e.descriptions)[0];
  }
  return out;
}

/** A staff event as the knowledge feature sees it (titles and descriptions per language). */
export function staffEventToKnowledge(e: StaffEvent): KnowledgeEvent {
  return {
    id: e.id,
    spaceId: e.spaceId,
    title: e.title[e.sourceLang] ?? Object.values(e.title)[0] ?? '',
    titles: e.title,
    start: e.start,
    end: e.end,
    price: e.price,
    topics: e.topics,
    languages: e.languages,
    description: e.description[e.sourceLang],
    descriptions: e.description,
  };
}

/** The last accepted import, read back at start when the content directory does not validate. */
const storedSpaces = jsonColumn('knowledge_spaces', 'data', storedSpaceSchema);
const storedEvents = jsonColumn('knowledge_events', 'data', storedEventSchema);

const docsBuilt = new WeakMap<KnowledgeContent, KnowledgeDoc[]>();

/**
 * {@link buildDocs}, once per content object: the app builds the documents of the content it read
 * while its database opens (issue #17, start-up), and the import finds them ready when no staff edit
 * changed that content.
 */
export function contentDocs(content: KnowledgeContent): KnowledgeDoc[] {
  let docs = docsBuilt.get(content);
  if (!docs) {
    docs = buildDocs(content);
    docsBuilt.set(content, docs);
  }
  return docs;
}

/** The searchable texts of the content. */
export function buildDocs(content: KnowledgeContent): KnowledgeDoc[] {
  const docs: KnowledgeDoc[] = [];
  const push = (ref: string, lang: string, kind: KnowledgeDoc['kind'], body: string) => {
    const tokens = indexTokens(body, lang);
    if (tokens.length) docs.push({ ref, lang, kind, body: normalizeForMatch(body), tokens });
  };
  for (const t of content.explainer) {
    for (const [lang, v] of Object.entries(t.title)) push(`explainer:${t.id}`, lang, 'title', v);
    // One row per sentence: the best sentence decides, so a long text does not win on chance words.
    for (const [lang, v] of Object.entries(t.text)) for (const sentence of sentences(v)) push(`explainer:${t.id}`, lang, 'text', sentence);
    for (const [lang, list] of Object.entries(t.paraphrases)) for (const p of list) push(`explainer:${t.id}`, lang, 'paraphrase', p);
  }
  for (const s of content.spaces) {
    push(`space:${s.id}`, 'any', 'name', s.name);
    for (const d of s.districts) push(`space:${s.id}`, 'any', 'district', d);
    if (s.description) push(`space:${s.id}`, 'any', 'description', s.description);
    for (const [lang, v] of Object.entries(s.descriptions)) push(`space:${s.id}`, lang, 'description', v);
  }
  return docs;
}
