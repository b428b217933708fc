/**
 * Data access for the knowledge feature: the last accepted import (spaces, events, search
 * documents), the offline search (Postgres full-text search + pg_trgm), reminders and knowledge gaps.
 */
import { oneRow, type Db, type Queryable } from './db.js';
import { CharTable, float4AsRead, haystack, similarity, trigrams, wordSimilarity } from './trigram.js';

/** One searchable text; `tokens` are app-normalized words (see src/knowledge/search-text.ts). */
export interface KnowledgeDoc {
  ref: string;
  lang: string;
  kind: 'title' | 'text' | 'paraphrase' | 'name' | 'district' | 'description';
  body: string;
  tokens: string[];
}

export interface StoredRecord {
  id: string;
  data: unknown;
}

export interface DocScore {
  ref: string;
  /** Full-text score: the IDF-weighted words of the question found in the best matching text. */
  score: number;
  /** Best trigram similarity between the question and a short text (title, paraphrase, name). */
  similarity: number;
}

export interface Reminder {
  id: number;
  personId: string;
  eventId: string;
  offsetName: string;
  runAt: Date;
  status: 'scheduled' | 'sent' | 'cancelled';
}

export interface KnowledgeGap {
  id: number;
  lang: string;
  textNormalized: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  handled: boolean;
}

/**
 * Whether a word can be a tsquery term: not empty, and within PostgreSQL's limit for one word
 * (2,047 bytes; a longer one fails the whole query with "word is too long in tsquery", and no
 * document holds one, since to_tsvector leaves such words out). A person's 6,000-letter "aaaa…" is
 * then a question with no known word, not an error.
 */
function searchable(t: { word: string }): boolean {
  return t.word.length > 0 && Buffer.byteLength(t.word) <= 2047;
}

/** A lexeme for a tsquery literal: quotes and backslashes escaped. */
function lexeme(tok: string): string {
  return `'${tok.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The trigrams of the short texts (names, titles, paraphrases) of one version of `knowledge_docs`. */
interface TrigramIndex {
  version: string;
  docs: { ref: string; name: boolean; set: Set<number> }[];
}

/** What {@link KnowledgeStore.search} finds. */
export interface SearchResult {
  /** The best references first. */
  docs: DocScore[];
  /** Which of these terms occur in some document (as {@link KnowledgeStore.knownTerms} answers; terms must be among the searched ones). */
  known(terms: { word: string; prefix: boolean }[]): Set<string>;
}

/**
 * The documents' version: the counter `knowledge_docs_version` keeps (165_knowledge_docs_version.sql),
 * moved by a trigger with every insert, update, delete or truncate of `knowledge_docs`, by any process,
 * in the same transaction. It keys both the trigram index and the remembered searches.
 */
const DOCS_VERSION = `(SELECT n::text FROM knowledge_docs_version WHERE id = 1)`;

/** Searches remembered per process (the same questions come again and again: "menu", "events today"). */
const SEARCH_CACHE_SIZE = 1000;

export class KnowledgeStore {
  /** Results of recent searches with the documents' counter they were computed at (see {@link search}). */
  private readonly searches = new Map<string, { version: string; docs: DocScore[]; matched: Set<string> }>();
  /** Scoring queries running now, by search: the same question asked meanwhile waits for it, then checks the counter. */
  private readonly scoring = new Map<string, Promise<unknown>>();
  private tri?: TrigramIndex;
  private triLoading?: Promise<TrigramIndex>;
  /** Which characters make words and how they lower-case, as the database says (see trigram.ts). */
  readonly chars: CharTable;

  constructor(private readonly db: Db) {
    this.chars = new CharTable(async (list) => {
      const rows = await this.db.query<{ c: string; lower: string; word: boolean }>(`SELECT c, lower(c) AS lower, cardinality(show_trgm(c)) > 0 AS word FROM unnest($1::text[]) AS c`, [list]);
      return new Map(rows.map((r) => [r.c, { word: r.word, lower: r.lower }]));
    });
  }

  /** The hash of the content in the database, to skip rewriting an unchanged import. */
  async contentHash(): Promise<string | undefined> {
    const rows = await this.db.query<{ value: string }>(`SELECT value FROM knowledge_meta WHERE key = 'content_hash'`);
    return rows[0]?.value;
  }

  /**
   * Replaces all spaces, events and search documents in one transaction. Several processes starting
   * together on one PostgreSQL import the same content at once: the first takes a lock and writes,
   * the others wait for it and find the content already there (their own inserts would collide).
   */
  async replaceContent(spaces: StoredRecord[], events: (StoredRecord & { spaceId: string; start: Date })[], docs: KnowledgeDoc[], hash: string): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(7283402)');
      const current = await q.query<{ value: string }>(`SELECT value FROM knowledge_meta WHERE key = 'content_hash'`);
      if (current[0]?.value === hash) return;
      await q.query('DELETE FROM knowledge_events');
      await q.query('DELETE FROM knowledge_spaces');
      await q.query('DELETE FROM knowledge_docs');
      await q.query('INSERT INTO knowledge_spaces (id, data) SELECT * FROM unnest($1::text[], $2::jsonb[])', [spaces.map((s) => s.id), spaces.map((s) => JSON.stringify(s.data))]);
      await q.query('INSERT INTO knowledge_events (id, space_id, start_at, data) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])', [
        events.map((e) => e.id),
        events.map((e) => e.spaceId),
        events.map((e) => e.start.toISOString()),
        events.map((e) => JSON.stringify(e.data)),
      ]);
      await q.query(
        `INSERT INTO knowledge_docs (ref, lang, kind, body, tokens)
         SELECT r, l, k, b, array_to_tsvector(string_to_array(t, ' '))
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(r, l, k, b, t)`,
        [docs.map((d) => d.ref), docs.map((d) => d.lang), docs.map((d) => d.kind), docs.map((d) => d.body), docs.map((d) => [...new Set(d.tokens)].join(' '))],
      );
      await q.query(
        `INSERT INTO knowledge_meta (key, value, updated_at) VALUES ('content_hash', $1, now())
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [hash],
      );
    });
  }

  /** Replaces the search documents of one reference (after a staff edit of a space). */
  async replaceDocs(ref: string, docs: KnowledgeDoc[]): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query('DELETE FROM knowledge_docs WHERE ref = $1', [ref]);
      await q.query(
        `INSERT INTO knowledge_docs (ref, lang, kind, body, tokens)
         SELECT r, l, k, b, array_to_tsvector(string_to_array(t, ' '))
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(r, l, k, b, t)`,
        [docs.map((d) => d.ref), docs.map((d) => d.lang), docs.map((d) => d.kind), docs.map((d) => d.body), docs.map((d) => [...new Set(d.tokens)].join(' '))],
      );
    });
  }

  /**
   * Cancels every scheduled reminder for an event (it was cancelled).
   * @returns the people who had one (each once), with the channel they last wrote from.
   */
  async cancelEventReminders(eventId: string): Promise<{ personId: string; channel: string | null }[]> {
    const rows = await this.db.query<{ person_id: string; channel: string | null }>(
      `WITH c AS (
         UPDATE knowledge_reminders SET status = 'cancelled' WHERE event_id = $1 AND status = 'scheduled' RETURNING person_id)
       SELECT DISTINCT ON (c.person_id) c.person_id, a.channel
       FROM c LEFT JOIN channel_addresses a ON a.person_id = c.person_id
       ORDER BY c.person_id, a.created_at DESC NULLS LAST`,
      [eventId],
    );
    return rows.map((r) => ({ personId: r.person_id, channel: r.channel }));
  }

  /**
   * An event moved by `shiftMs`: its scheduled reminders move by the same amount. One that would now
   * be due at or before `now` is cancelled instead (too late to remind). Returns every reminder that
   * was scheduled, with its new time and state, and the channel its person last wrote from.
   */
  async shiftEventReminders(eventId: string, shiftMs: number, now: Date): Promise<{ personId: string; channel: string | null; offsetName: string; runAt: Date; status: 'scheduled' | 'cancelled' }[]> {
    const rows = await this.db.query<{ person_id: string; channel: string | null; offset_name: string; run_at: Date; status: 'scheduled' | 'cancelled' }>(
      `WITH s AS (
         UPDATE knowledge_reminders SET run_at = run_at + $2::bigint * interval '1 millisecond',
           status = CASE WHEN run_at + $2::bigint * interval '1 millisecond' <= $3 THEN 'cancelled' ELSE 'scheduled' END
         WHERE event_id = $1 AND status = 'scheduled' RETURNING person_id, offset_name, run_at, status)
       SELECT s.person_id, s.offset_name, s.run_at, s.status,
         (SELECT a.channel FROM channel_addresses a WHERE a.person_id = s.person_id ORDER BY a.created_at DESC NULLS LAST LIMIT 1) AS channel
       FROM s ORDER BY s.person_id, s.offset_name`,
      [eventId, Math.round(shiftMs), now],
    );
    return rows.map((r) => ({ personId: r.person_id, channel: r.channel, offsetName: r.offset_name, runAt: new Date(r.run_at), status: r.status }));
  }

  /** The spaces and events of the last accepted import. */
  async storedContent(): Promise<{ spaces: StoredRecord[]; events: StoredRecord[] }> {
    const spaces = await this.db.query<StoredRecord>('SELECT id, data FROM knowledge_spaces ORDER BY id');
    const events = await this.db.query<StoredRecord>('SELECT id, data FROM knowledge_events ORDER BY start_at, id');
    return { spaces, events };
  }

  /**
   * Scores every document reference against the question's words (prefix matches through the
   * tsvector index, weighted by how rare each word is across references) and its trigram
   * similarity to short texts. Returns the best references first, and which terms occur in any
   * document at all (what {@link knownTerms} answers, from the same query).
   *
   * The trigram part (pg_trgm's `word_similarity` for names, `similarity` for titles and
   * paraphrases) is computed in memory with pg_trgm's exact semantics (src/storage/trigram.ts):
   * in SQL it cost ~26 ms per question on PGlite, scanning every short text. The texts' trigrams are
   * kept per version of `knowledge_docs`; every search reads the version in the same query, so an
   * import, a staff edit or another process's write is seen by the next search, as in SQL.
   *
   * A search asked before (the same terms, question, language and limit) is answered from memory
   * when the documents' change counter still reads what it read then: one key lookup instead of the
   * scoring query (the result is a function of the documents and the question only).
   */
  async search(terms: { word: string; prefix: boolean; weight?: number }[], question: string, lang: string, limit = 8): Promise<SearchResult> {
    const byQuery = new Map<string, number>();
    for (const t of terms) if (searchable(t)) byQuery.set(`${lexeme(t.word)}${t.prefix ? ':*' : ''}`, t.weight ?? 1);
    const key = JSON.stringify([[...byQuery], question, lang, limit]);
    // Many people asking the same at once (a burst after a broadcast) make one scoring query.
    const running = this.scoring.get(key);
    if (running) await running.catch(() => undefined);
    const cached = this.searches.get(key);
    if (cached) {
      const now = await this.db.query<{ n: string | null }>(`SELECT ${DOCS_VERSION} AS n`);
      if ((now[0]?.n ?? '') === cached.version) {
        this.searches.delete(key); // most recently used last
        this.searches.set(key, cached);
        return this.result(cached.docs, cached.matched);
      }
    }
    const scored = this.score(byQuery, question, lang, limit, key);
    if (!this.scoring.has(key)) {
      this.scoring.set(key, scored);
      void scored.then(
        () => this.scoring.delete(key),
        () => this.scoring.delete(key),
      );
    }
    return scored;
  }

  /** The scoring query and the trigram part of {@link search}; remembers the result under `key`. */
  private async score(byQuery: Map<string, number>, question: string, lang: string, limit: number, key: string): Promise<SearchResult> {
    const rows = await this.db.query<{ part: 'doc' | 'known' | 'version'; ref: string | null; score: number | null; tok: string | null }>(
      `WITH q AS (SELECT tok, w FROM unnest($1::text[], $3::float8[]) AS t(tok, w)),
       total AS (SELECT count(DISTINCT ref)::float8 AS n FROM knowledge_docs),
       m AS (SELECT d.id, d.ref, d.kind, d.lang, length(d.tokens) AS len, q.tok, q.w FROM knowledge_docs d JOIN q ON d.tokens @@ q.tok::tsquery),
       df AS (SELECT tok, count(DISTINCT ref)::float8 AS n FROM m GROUP BY tok),
       per_row AS (
         SELECT m.ref, m.kind, sum(m.w * ln((total.n + 1) / (df.n + 0.5)))
           -- texts in the question's language count fully; long texts are damped (more words, more chance hits)
           * CASE WHEN m.lang = $2 OR m.lang = 'any' THEN 1 ELSE 0.6 END
           / power(greatest(m.len, 20) / 20.0, 0.5) AS s
         FROM m JOIN df USING (tok) CROSS JOIN total GROUP BY m.id, m.ref, m.kind, m.lang, m.len),
       weighted AS (
         SELECT ref, s * CASE kind WHEN 'text' THEN 0.7 WHEN 'description' THEN 0.5 ELSE 1 END AS s,
                row_number() OVER (PARTITION BY ref ORDER BY s * CASE kind WHEN 'text' THEN 0.7 WHEN 'description' THEN 0.5 ELSE 1 END DESC) AS rank
         FROM per_row),
       -- The best text decides; the next two matching texts add half their score (several paraphrases agree).
       fts AS (SELECT ref, sum(CASE WHEN rank = 1 THEN s ELSE s * 0.5 END) AS score FROM weighted WHERE rank <= 3 GROUP BY ref)
       SELECT 'doc' AS part, ref, score, NULL::text AS tok FROM fts
       UNION ALL SELECT 'known', NULL, NULL, tok FROM df
       UNION ALL SELECT 'version', NULL, NULL, ${DOCS_VERSION}`,
      [[...byQuery.keys()], lang, [...byQuery.values()]],
    );
    const version = rows.find((r) => r.part === 'version')?.tok ?? '';
    const tri = await this.trigramSimilarities(version, question);
    const out: DocScore[] = [];
    // Same filter as the SQL had (fts.score IS NOT NULL OR similarity > 0.25), on the float4 values.
    for (const r of rows) {
      if (r.part !== 'doc' || r.ref === null) continue;
      const sim = tri.get(r.ref) ?? 0;
      tri.delete(r.ref);
      if (r.score !== null || sim > 0.25) out.push({ ref: r.ref, score: Number(r.score ?? 0), similarity: float4AsRead(sim) });
    }
    for (const [ref, sim] of tri) if (sim > 0.25) out.push({ ref, score: 0, similarity: float4AsRead(sim) });
    const matched = new Set(rows.filter((r) => r.part === 'known').map((r) => r.tok!));
    const docs = out.sort((a, b) => b.score - a.score || b.similarity - a.similarity).slice(0, limit);
    // Remembered only when the trigram index matched the same documents (it is read after the query).
    if (version && this.tri?.version === version) {
      if (this.searches.size >= SEARCH_CACHE_SIZE) this.searches.delete(this.searches.keys().next().value as string);
      this.searches.set(key, { version, docs, matched });
    }
    return this.result(docs, matched);
  }

  /** A search's answer (its own copy of the scores, so a caller's change never reaches the cache). */
  private result(docs: DocScore[], matched: Set<string>): SearchResult {
    return {
      docs: docs.map((d) => ({ ...d })),
      known: (list) => new Set(list.filter((t) => searchable(t) && matched.has(`${lexeme(t.word)}${t.prefix ? ':*' : ''}`)).map((t) => t.word)),
    };
  }

  /**
   * The best trigram similarity per reference between the question and its names (word
   * similarity), titles and paraphrases (similarity), as float4 values. Entries in reference order.
   */
  async trigramSimilarities(version: string, question: string): Promise<Map<string, number>> {
    const index = await this.trigramIndex(version);
    await this.chars.ensure([question]);
    const ordered = trigrams(question, this.chars);
    const set = new Set(ordered);
    const hay = haystack(ordered);
    const best = new Map<string, number>();
    for (const d of index.docs) {
      const s = d.name ? wordSimilarity(d.set, hay) : similarity(d.set, set);
      const prev = best.get(d.ref);
      if (prev === undefined || s > prev) best.set(d.ref, s);
    }
    return best;
  }

  /**
   * The short texts' trigrams for a version of `knowledge_docs`: re-read when the version moved.
   * The index returned was read after the caller's query, so it is never older than `version`.
   */
  private async trigramIndex(version: string): Promise<TrigramIndex> {
    if (this.tri?.version === version) return this.tri;
    let index = await (this.triLoading ??= this.loadTrigramIndex());
    // A load already running may have read before the caller's query; one started now cannot have.
    if (index.version !== version) index = await (this.triLoading ??= this.loadTrigramIndex());
    return index;
  }

  private loadTrigramIndex(): Promise<TrigramIndex> {
    return (async () => {
      const rows = await this.db.query<{ version: string; ref: string | null; kind: string | null; body: string | null }>(
        `SELECT v.version, d.ref, d.kind, d.body
         FROM (SELECT ${DOCS_VERSION} AS version) v
         LEFT JOIN knowledge_docs d ON d.kind IN ('name', 'paraphrase', 'title')
         ORDER BY d.id`,
      );
      const docs = rows.filter((r) => r.ref !== null && r.body !== null);
      await this.chars.ensure(docs.map((r) => r.body!));
      const index: TrigramIndex = {
        version: rows[0]?.version ?? '',
        docs: docs.map((r) => ({ ref: r.ref!, name: r.kind === 'name', set: new Set(trigrams(r.body!, this.chars)) })),
      };
      this.tri = index;
      return index;
    })().finally(() => (this.triLoading = undefined));
  }

  /**
   * Which query terms occur anywhere in the documents (the rest are words we know nothing about).
   * Stems match as prefixes here too, so an inflected word counts as known.
   */
  async knownTerms(all: { word: string; prefix: boolean }[]): Promise<Set<string>> {
    const terms = all.filter(searchable);
    if (terms.length === 0) return new Set();
    const q = (t: { word: string; prefix: boolean }) => `${lexeme(t.word)}${t.prefix ? ':*' : ''}`;
    const rows = await this.db.query<{ tok: string }>(
      `SELECT tok FROM unnest($1::text[]) AS t(tok)
       WHERE EXISTS (SELECT 1 FROM knowledge_docs d WHERE d.tokens @@ t.tok::tsquery)`,
      [terms.map(q)],
    );
    const known = new Set(rows.map((r) => r.tok));
    return new Set(terms.filter((t) => known.has(q(t))).map((t) => t.word));
  }

  // ------------------------------------------------------------ reminders

  /** Records a reminder; returns false when the person already has this one. */
  async addReminder(personId: string, eventId: string, offsetName: string, runAt: Date, channel?: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO knowledge_reminders (person_id, event_id, offset_name, run_at, channel) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (person_id, event_id, offset_name) DO UPDATE SET status = 'scheduled', run_at = EXCLUDED.run_at, channel = EXCLUDED.channel
         WHERE knowledge_reminders.status = 'cancelled'
       RETURNING id`,
      [personId, eventId, offsetName, runAt, channel ?? null],
    );
    return rows.length > 0;
  }

  async reminders(personId: string, status: Reminder['status'] = 'scheduled'): Promise<Reminder[]> {
    const rows = await this.db.query<{ id: string; person_id: string; event_id: string; offset_name: string; run_at: Date; status: Reminder['status'] }>(
      'SELECT * FROM knowledge_reminders WHERE person_id = $1 AND status = $2 ORDER BY run_at',
      [personId, status],
    );
    return rows.map((r) => ({ id: Number(r.id), personId: r.person_id, eventId: r.event_id, offsetName: r.offset_name, runAt: new Date(r.run_at), status: r.status }));
  }

  /** Cancels a person's scheduled reminders (for one event, or all). Returns how many. */
  async cancelReminders(personId: string, eventId?: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE knowledge_reminders SET status = 'cancelled'
       WHERE person_id = $1 AND status = 'scheduled' AND ($2::text IS NULL OR event_id = $2) RETURNING id`,
      [personId, eventId ?? null],
    );
    return rows.length;
  }

  /** Marks a reminder sent if it is still scheduled; false when it was cancelled (or already sent). */
  async claimReminder(personId: string, eventId: string, offsetName: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE knowledge_reminders SET status = 'sent'
       WHERE person_id = $1 AND event_id = $2 AND offset_name = $3 AND status = 'scheduled' RETURNING id`,
      [personId, eventId, offsetName],
    );
    return rows.length > 0;
  }

  // ------------------------------------------------------------ knowledge gaps

  /**
   * Counts one question without a confident answer (already normalized and redacted by the caller);
   * returns the gap's id. With `personId`, the ask is linked to the person so that erasing them takes
   * it back ({@link eraseKnowledgeGaps}).
   */
  async recordGap(lang: string, textNormalized: string, at: Date, personId?: string): Promise<number> {
    return this.db.tx(async (q) => {
      const rows = await q.query<{ id: string | number }>(
        `INSERT INTO knowledge_gaps (lang, text_normalized, first_at, last_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (lang, text_normalized) DO UPDATE SET count = knowledge_gaps.count + 1, last_at = EXCLUDED.last_at, handled = false
         RETURNING id`,
        [lang, textNormalized, at],
      );
      const id = Number(oneRow(rows).id);
      if (personId) {
        await q.query(
          `INSERT INTO knowledge_gap_people (gap_id, person_id) VALUES ($1, $2)
           ON CONFLICT (gap_id, person_id) DO UPDATE SET asks = knowledge_gap_people.asks + 1`,
          [id, personId],
        );
      }
      return id;
    });
  }

  async gaps(limit = 100): Promise<KnowledgeGap[]> {
    const rows = await this.db.query<{ id: string; lang: string; text_normalized: string; count: number; first_at: Date; last_at: Date; handled: boolean }>(
      'SELECT * FROM knowledge_gaps ORDER BY handled, count DESC, last_at DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      lang: r.lang,
      textNormalized: r.text_normalized,
      count: Number(r.count),
      firstAt: new Date(r.first_at),
      lastAt: new Date(r.last_at),
      handled: r.handled,
    }));
  }
}

// ── writes other stores make inside their own statements ──────────────────
// This module owns `knowledge_reminders` and `knowledge_gaps`.

/**
 * The statement that takes the due reminders of one event and offset (`scheduled` → `sent`),
 * returning `person_id, channel`: for a CTE of the broadcast store, which turns them into delivery
 * records in the same statement (so a reminder becomes a record exactly once). The arguments are
 * the caller's placeholders (e.g. `$1`).
 */
export function takeDueRemindersSql(p: { eventId: string; offset: string; now: string }): string {
  return `UPDATE knowledge_reminders SET status = 'sent'
           WHERE event_id = ${p.eventId} AND offset_name = ${p.offset} AND status = 'scheduled' AND run_at <= ${p.now}
           RETURNING person_id, channel`;
}

/** Marks a gap handled (or not), by its id as text (the dashboard's). @returns whether the gap exists. */
export async function markGapHandled(q: Queryable, id: string, handled: boolean): Promise<boolean> {
  const rows = await q.query(`UPDATE knowledge_gaps SET handled = $2 WHERE id::text = $1 RETURNING 1`, [id, handled]);
  return rows.length > 0;
}

/** One knowledge gap to insert (seeding; the knowledge feature records its own with {@link KnowledgeStore.recordGap}). */
export interface GapInsert {
  id: string;
  lang: string;
  text: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  handled?: boolean;
}

/** Inserts seeded gaps as they are (one statement per gap). */
export async function insertGapRows(q: Queryable, gaps: readonly GapInsert[]): Promise<void> {
  for (const g of gaps) {
    await q.query(`INSERT INTO knowledge_gaps (id, lang, text_normalized, count, first_at, last_at, handled) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      g.id,
      g.lang,
      g.text,
      g.count,
      g.firstAt,
      g.lastAt,
      g.handled ?? false,
    ]);
  }
}

/**
 * Erasure step for knowledge gaps: the person's asks are taken off each gap's count, and a gap
 * nobody else asked is deleted (its text was theirs, even if redaction missed something in it).
 */
export async function eraseKnowledgeGaps(q: Queryable, personId: string): Promise<void> {
  await q.query(`UPDATE knowledge_gaps g SET count = g.count - l.asks FROM knowledge_gap_people l WHERE l.gap_id = g.id AND l.person_id = $1`, [personId]);
  await q.query(`DELETE FROM knowledge_gaps g WHERE g.count <= 0 AND g.id IN (SELECT gap_id FROM knowledge_gap_people WHERE person_id = $1)`, [personId]);
  await q.query(`DELETE FROM knowledge_gap_people WHERE person_id = $1`, [personId]);
}
