/**
 * Translations of content fields a language is missing (`content_translations`): machine
 * translations cached once, and the coordinators' review of them (approve, edit, reject, write).
 * A row belongs to one source text through `sourceHash`; a row whose hash no longer matches the
 * current source is stale and treated as absent.
 */
import { createHash } from 'node:crypto';
import { oneRow, type Db } from './db.js';

export type TranslationStatus = 'machine' | 'reviewed' | 'rejected';
export const translationStatuses: readonly TranslationStatus[] = ['machine', 'reviewed', 'rejected'];

/** One stored translation of one field of one record into one language. */
export interface ContentTranslation {
  id: number;
  /** `explainer:<id>`, `space:<id>`, `event:<id>`. */
  ref: string;
  /** `title`, `text`, `description`… */
  field: string;
  lang: string;
  sourceLang: string;
  sourceHash: string;
  sourceText: string;
  text: string;
  status: TranslationStatus;
  createdAt: Date;
  reviewedAt?: Date;
  reviewedBy?: number;
  /**
   * A reviewer's text for an earlier source, replaced when the source changed (with the source it
   * translated): shown on the review page to approve again or adapt. Cleared once reviewed again.
   */
  previous?: { text: string; sourceText: string };
}

/** The hash that ties a translation to the exact source text (and its language) it came from. */
export function sourceHash(sourceLang: string, text: string): string {
  return createHash('sha256').update(`${sourceLang}\n${text}`).digest('hex').slice(0, 32);
}

type Row = {
  id: string | number;
  ref: string;
  field: string;
  lang: string;
  source_lang: string;
  source_hash: string;
  source_text: string;
  text: string;
  status: TranslationStatus;
  created_at: Date;
  reviewed_at: Date | null;
  reviewed_by: string | number | null;
  previous_text: string | null;
  previous_source_text: string | null;
};

function fromRow(r: Row): ContentTranslation {
  return {
    id: Number(r.id),
    ref: r.ref,
    field: r.field,
    lang: r.lang,
    sourceLang: r.source_lang,
    sourceHash: r.source_hash,
    sourceText: r.source_text,
    text: r.text,
    status: r.status,
    createdAt: new Date(r.created_at),
    ...(r.reviewed_at ? { reviewedAt: new Date(r.reviewed_at) } : {}),
    ...(r.reviewed_by !== null ? { reviewedBy: Number(r.reviewed_by) } : {}),
    ...(r.previous_text !== null ? { previous: { text: r.previous_text, sourceText: r.previous_source_text ?? '' } } : {}),
  };
}

/** A new translation to store. */
export interface NewTranslation {
  ref: string;
  field: string;
  lang: string;
  sourceLang: string;
  sourceText: string;
  text: string;
}

export class TranslationStore {
  constructor(private readonly db: Db) {}

  /** The stored rows of one record in one language (any status, stale or not), by field. */
  async forRecord(ref: string, lang: string): Promise<Map<string, ContentTranslation>> {
    const rows = await this.db.query<Row>('SELECT * FROM content_translations WHERE ref = $1 AND lang = $2', [ref, lang]);
    return new Map(rows.map((r) => [r.field, fromRow(r)]));
  }

  /** The stored rows of one field of many records in one language, by ref (for lists). */
  async forRefs(refs: string[], field: string, lang: string): Promise<Map<string, ContentTranslation>> {
    if (refs.length === 0) return new Map();
    const rows = await this.db.query<Row>('SELECT * FROM content_translations WHERE ref = ANY($1::text[]) AND field = $2 AND lang = $3', [refs, field, lang]);
    return new Map(rows.map((r) => [r.ref, fromRow(r)]));
  }

  /**
   * Stores a machine translation unless a current one exists: a row for the same source (machine,
   * reviewed or rejected) is kept as it is; a stale row (another source hash) is replaced — a
   * replaced reviewed text is kept as `previous` for the reviewer (the bot never shows it). Returns
   * the row now in force for this source, or undefined when none matches (never in practice).
   */
  async putMachine(t: NewTranslation, now: Date): Promise<ContentTranslation | undefined> {
    const hash = sourceHash(t.sourceLang, t.sourceText);
    await this.db.query(
      `INSERT INTO content_translations (ref, field, lang, source_lang, source_hash, source_text, text, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'machine', $8)
       ON CONFLICT (ref, field, lang) DO UPDATE SET source_lang = EXCLUDED.source_lang, source_hash = EXCLUDED.source_hash,
         source_text = EXCLUDED.source_text, text = EXCLUDED.text, status = 'machine', created_at = EXCLUDED.created_at,
         reviewed_at = NULL, reviewed_by = NULL,
         previous_text = CASE WHEN content_translations.status = 'reviewed' THEN content_translations.text ELSE content_translations.previous_text END,
         previous_source_text = CASE WHEN content_translations.status = 'reviewed' THEN content_translations.source_text ELSE content_translations.previous_source_text END
       WHERE content_translations.source_hash <> EXCLUDED.source_hash`,
      [t.ref, t.field, t.lang, t.sourceLang, hash, t.sourceText, t.text, now],
    );
    const row = (await this.forRecord(t.ref, t.lang)).get(t.field);
    return row?.sourceHash === hash ? row : undefined;
  }

  /** The source hash of every stored row, by `ref|field|lang` (to seed only what is missing or stale). */
  async sourceHashes(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ ref: string; field: string; lang: string; source_hash: string }>('SELECT ref, field, lang, source_hash FROM content_translations');
    return new Map(rows.map((r) => [`${r.ref}|${r.field}|${r.lang}`, r.source_hash]));
  }

  /**
   * Stores many machine translations in one statement where no row exists yet for the field and
   * language (an existing row — machine, reviewed or rejected — is left alone; use {@link putMachine}
   * for one whose source changed). Returns how many were stored.
   */
  async putMachineMany(rows: NewTranslation[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const col = <K extends keyof NewTranslation>(k: K) => rows.map((r) => r[k]);
    const stored = await this.db.query<{ id: string | number }>(
      `INSERT INTO content_translations (ref, field, lang, source_lang, source_hash, source_text, text, status, created_at)
       SELECT t.ref, t.field, t.lang, t.source_lang, t.source_hash, t.source_text, t.text, 'machine', $8
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(ref, field, lang, source_lang, source_hash, source_text, text)
       ON CONFLICT (ref, field, lang) DO NOTHING RETURNING id`,
      [col('ref'), col('field'), col('lang'), col('sourceLang'), rows.map((r) => sourceHash(r.sourceLang, r.sourceText)), col('sourceText'), col('text'), now],
    );
    return stored.length;
  }

  /**
   * A coordinator's own translation (written by hand, no model needed): stored as `reviewed`,
   * replacing whatever was there for this field and language.
   */
  async putReviewed(t: NewTranslation, by: number, now: Date): Promise<ContentTranslation> {
    const rows = await this.db.query<Row>(
      `INSERT INTO content_translations (ref, field, lang, source_lang, source_hash, source_text, text, status, created_at, reviewed_at, reviewed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'reviewed', $8, $8, $9)
       ON CONFLICT (ref, field, lang) DO UPDATE SET source_lang = EXCLUDED.source_lang, source_hash = EXCLUDED.source_hash,
         source_text = EXCLUDED.source_text, text = EXCLUDED.text, status = 'reviewed', reviewed_at = EXCLUDED.reviewed_at, reviewed_by = EXCLUDED.reviewed_by,
         previous_text = NULL, previous_source_text = NULL
       RETURNING *`,
      [t.ref, t.field, t.lang, t.sourceLang, sourceHash(t.sourceLang, t.sourceText), t.sourceText, t.text, now, by],
    );
    return fromRow(oneRow(rows));
  }

  /** One row by id. */
  async get(id: number): Promise<ContentTranslation | undefined> {
    const rows = await this.db.query<Row>('SELECT * FROM content_translations WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /**
   * A review decision: `reviewed` (approved, optionally with an edited text) or `rejected`. Returns
   * the updated row, or undefined when there is no such row.
   */
  async review(id: number, status: 'reviewed' | 'rejected', by: number, now: Date, text?: string): Promise<ContentTranslation | undefined> {
    const rows = await this.db.query<Row>(
      `UPDATE content_translations SET status = $2, text = coalesce($3, text), reviewed_at = $4, reviewed_by = $5,
         previous_text = CASE WHEN $2 = 'reviewed' THEN NULL ELSE previous_text END,
         previous_source_text = CASE WHEN $2 = 'reviewed' THEN NULL ELSE previous_source_text END
       WHERE id = $1 RETURNING *`,
      [id, status, text ?? null, now, by],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Rows for the review page, newest first, optionally filtered by language and status. */
  async list(filter: { lang?: string; status?: TranslationStatus; limit?: number } = {}): Promise<ContentTranslation[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM content_translations WHERE ($1::text IS NULL OR lang = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY CASE status WHEN 'machine' THEN 0 WHEN 'rejected' THEN 1 ELSE 2 END, created_at DESC, id DESC LIMIT $3`,
      [filter.lang ?? null, filter.status ?? null, filter.limit ?? 200],
    );
    return rows.map(fromRow);
  }

  /** How many rows per status (for the page heading). */
  async counts(): Promise<Record<TranslationStatus, number>> {
    const rows = await this.db.query<{ status: TranslationStatus; n: string | number }>('SELECT status, count(*) AS n FROM content_translations GROUP BY status');
    const out: Record<TranslationStatus, number> = { machine: 0, reviewed: 0, rejected: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}
