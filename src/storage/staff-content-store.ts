/**
 * Staff edits to the knowledge content: overrides of a space card's editable fields and events staff
 * create. Kept in their own tables (migration 080) so a CSV re-import never loses them; the
 * knowledge base overlays them on the imported content (see `KnowledgeBase.applyStaffContent`).
 *
 * Every write is validated here with the same rules as the CSV import (opening_hours syntax, service
 * and topic tags, language codes, dates: {@link StaffContentChecks}, given by the knowledge feature as
 * src/knowledge/staff-checks.ts), so every caller (the web portal, a chat flow) gets the same checks;
 * a bad input throws {@link StaffContentError} with one message per field.
 *
 * The instance on the app (`app.staffContent`) tells the knowledge base after each change, so the
 * bot answers from the new content at once: use that instance rather than a new one.
 */
import { z } from 'zod';
import { type ServiceTag, serviceTags, type TopicTag, topicTags } from './content-tags.js';
import { oneRow, type Db } from './db.js';
import { jsonColumn, textPerLanguage } from './json-column.js';

/** An event as staff write it. Texts are per bot language code; `sourceLang` must have a title. */
export interface StaffEventInput {
  spaceId: string;
  /** lang → title; at least the source language. */
  title: Record<string, string>;
  /** lang → description (optional, any of the bot's languages). */
  description: Record<string, string>;
  /** The language staff wrote it in (a bot language code). */
  sourceLang: string;
  start: Date;
  end?: Date;
  price: 'free' | 'paid';
  topics: TopicTag[];
  /** ISO 639-1 codes of the languages spoken at the event. */
  languages: string[];
  /** Languages whose text was drafted by a machine and reviewed by staff on saving. */
  machineDrafted?: string[];
}

/** A stored staff event. `id` is `s.<n>` (never a CSV id: CSV ids cannot contain a dot). */
export interface StaffEvent extends StaffEventInput {
  id: string;
  status: 'active' | 'cancelled';
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
}

/** The editable fields of a space card; a missing field keeps the imported value. */
export interface SpaceEdit {
  hours?: string;
  services?: ServiceTag[];
  languages?: string[];
  priceNote?: string;
  /** lang → description (replaces the imported descriptions when present). */
  descriptions?: Record<string, string>;
  /** The language the descriptions were written in. */
  sourceLang?: string;
}

/** `space_edits.data`. */
const spaceEditColumn = jsonColumn<SpaceEdit>(
  'space_edits',
  'data',
  z.looseObject({
    hours: z.string().optional(),
    services: z.array(z.enum(serviceTags)).optional(),
    languages: z.array(z.string()).optional(),
    priceNote: z.string().optional(),
    descriptions: textPerLanguage.optional(),
    sourceLang: z.string().optional(),
  }),
);

export interface StoredSpaceEdit {
  spaceId: string;
  edit: SpaceEdit;
  updatedAt: Date;
  updatedBy: string;
}

/** What changed, for listeners (the knowledge base refresh, reminder cancellation). */
export type StaffContentChange =
  | { kind: 'space'; spaceId: string }
  | { kind: 'event'; eventId: string; spaceId: string; action: 'created' | 'cancelled' }
  /** `previousStart`: the start before this update (reminders move when it changed). */
  | { kind: 'event'; eventId: string; spaceId: string; action: 'updated'; previousStart: Date };

/** Field name → a message for the person filling in the form. */
export type FieldErrors = Record<string, string>;

/** Thrown when an input is not valid; nothing was written. */
export class StaffContentError extends Error {
  constructor(readonly fields: FieldErrors) {
    super(
      Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
    );
  }
}

/** A check's result: the cleaned input, or one message per field. */
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * The rules every write is checked against (the CSV import's). They live with the content they
 * describe (src/knowledge/staff-checks.ts); the store is given them, so storage does not depend on
 * the knowledge feature.
 */
export interface StaffContentChecks {
  /** An event; `spaceIds`: the spaces that exist, when known. */
  event(input: StaffEventInput, spaceIds?: readonly string[]): Checked<StaffEventInput>;
  spaceEdit(edit: SpaceEdit): Checked<SpaceEdit>;
}

export interface StaffContentOptions {
  /** How each write is checked before anything is stored. */
  checks: StaffContentChecks;
  /** The ids of the spaces that exist (the imported content); unknown spaces are refused when given. */
  spaceIds?: () => readonly string[];
  /** Called after every successful change (awaited). */
  onChange?: (change: StaffContentChange) => Promise<void>;
}

const STAFF_PREFIX = 's.';

/** Whether an event id belongs to a staff event. */
export function isStaffEventId(id: string): boolean {
  return id.startsWith(STAFF_PREFIX) && /^\d+$/.test(id.slice(STAFF_PREFIX.length));
}

type EventRow = { id: string | number; space_id: string; start_at: Date; data: unknown; status: 'active' | 'cancelled'; created_by: string; created_at: Date; updated_by: string; updated_at: Date };
type StoredEventData = Omit<StaffEventInput, 'start' | 'end' | 'spaceId'> & { start: string; end?: string };

/**
 * `staff_events.data`: the event without its space, dates as ISO strings (see {@link toData}).
 * Rows written by 0.2.0 have no `start` (the `start_at` column has it), no `sourceLang` (the first
 * title's language is taken) and `free: boolean` instead of `price`: read as the current shape.
 */
const eventDataColumn = jsonColumn<Omit<StoredEventData, 'start'> & { start?: string }>(
  'staff_events',
  'data',
  z
    .looseObject({
      title: textPerLanguage,
      description: textPerLanguage.default({}),
      sourceLang: z.string().optional(),
      start: z.string().optional(),
      end: z.string().optional(),
      price: z.enum(['free', 'paid']).optional(),
      free: z.boolean().optional(),
      topics: z.array(z.enum(topicTags)).default([]),
      languages: z.array(z.string()).default([]),
      machineDrafted: z.array(z.string()).optional(),
    })
    .refine((d) => d.price !== undefined || d.free !== undefined, { message: 'no price', path: ['price'] })
    .refine((d) => d.sourceLang !== undefined || Object.keys(d.title).length > 0, { message: 'no source language', path: ['sourceLang'] })
    .transform(({ free, ...d }) => ({ ...d, price: d.price ?? (free ? 'free' : 'paid'), sourceLang: d.sourceLang ?? Object.keys(d.title)[0]! })),
);

function toEvent(r: EventRow): StaffEvent {
  const d = eventDataColumn.parse(r.data, r.id);
  return {
    id: `${STAFF_PREFIX}${r.id}`,
    spaceId: r.space_id,
    title: d.title,
    description: d.description ?? {},
    sourceLang: d.sourceLang,
    start: new Date(d.start ?? r.start_at),
    end: d.end ? new Date(d.end) : undefined,
    price: d.price,
    topics: d.topics ?? [],
    languages: d.languages ?? [],
    ...(d.machineDrafted?.length ? { machineDrafted: d.machineDrafted } : {}),
    status: r.status,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    updatedBy: r.updated_by,
    updatedAt: new Date(r.updated_at),
  };
}

function toData(v: StaffEventInput): StoredEventData {
  return {
    title: v.title,
    description: v.description,
    sourceLang: v.sourceLang,
    start: v.start.toISOString(),
    ...(v.end ? { end: v.end.toISOString() } : {}),
    price: v.price,
    topics: v.topics,
    languages: v.languages,
    ...(v.machineDrafted?.length ? { machineDrafted: v.machineDrafted } : {}),
  };
}

export class StaffContentStore {
  constructor(
    private readonly db: Db,
    private readonly opts: StaffContentOptions,
  ) {}

  private async changed(change: StaffContentChange): Promise<void> {
    await this.opts.onChange?.(change);
  }

  private numeric(id: string): number | undefined {
    return isStaffEventId(id) ? Number(id.slice(STAFF_PREFIX.length)) : undefined;
  }

  // ------------------------------------------------------------ events

  /**
   * Creates an event. `by` says who (e.g. `staff:12`, `telegram:<person>`; kept for the audit).
   * @returns the new event's id (`s.<n>`).
   * @throws StaffContentError when a field is not valid (nothing written).
   */
  async createEvent(input: StaffEventInput, by: string): Promise<string> {
    const v = this.opts.checks.event(input, this.opts.spaceIds?.());
    if (!v.ok) throw new StaffContentError(v.errors);
    const rows = await this.db.query<{ id: string | number }>(`INSERT INTO staff_events (space_id, start_at, data, created_by, updated_by) VALUES ($1, $2, $3, $4, $4) RETURNING id`, [
      v.value.spaceId,
      v.value.start,
      JSON.stringify(toData(v.value)),
      by,
    ]);
    const id = `${STAFF_PREFIX}${oneRow(rows).id}`;
    await this.changed({ kind: 'event', eventId: id, spaceId: v.value.spaceId, action: 'created' });
    return id;
  }

  /**
   * Replaces an active event's fields (the space cannot change). Returns false when there is no
   * such active event. @throws StaffContentError when a field is not valid.
   */
  async updateEvent(id: string, input: StaffEventInput, by: string): Promise<boolean> {
    const current = await this.getEvent(id);
    if (!current || current.status !== 'active') return false;
    const v = this.opts.checks.event({ ...input, spaceId: current.spaceId }, this.opts.spaceIds?.());
    if (!v.ok) throw new StaffContentError(v.errors);
    const rows = await this.db.query(`UPDATE staff_events SET start_at = $2, data = $3, updated_by = $4, updated_at = now() WHERE id = $1 AND status = 'active' RETURNING id`, [
      this.numeric(id),
      v.value.start,
      JSON.stringify(toData(v.value)),
      by,
    ]);
    if (rows.length === 0) return false;
    await this.changed({ kind: 'event', eventId: id, spaceId: current.spaceId, action: 'updated', previousStart: current.start });
    return true;
  }

  /** Cancels an event (it disappears from the bot's answers). Returns false when it was not active. */
  async cancelEvent(id: string, by: string): Promise<boolean> {
    const n = this.numeric(id);
    if (n === undefined) return false;
    const rows = await this.db.query<{ space_id: string }>(`UPDATE staff_events SET status = 'cancelled', updated_by = $2, updated_at = now() WHERE id = $1 AND status = 'active' RETURNING space_id`, [
      n,
      by,
    ]);
    if (!rows[0]) return false;
    await this.changed({ kind: 'event', eventId: id, spaceId: rows[0].space_id, action: 'cancelled' });
    return true;
  }

  /** One event (active or cancelled), or undefined. */
  async getEvent(id: string): Promise<StaffEvent | undefined> {
    const n = this.numeric(id);
    if (n === undefined) return undefined;
    const rows = await this.db.query<EventRow>('SELECT * FROM staff_events WHERE id = $1', [n]);
    return rows[0] ? toEvent(rows[0]) : undefined;
  }

  /** Events by start time: of one space, or all; cancelled ones only when asked. */
  async listEvents(spaceId?: string, opts: { includeCancelled?: boolean } = {}): Promise<StaffEvent[]> {
    const rows = await this.db.query<EventRow>(`SELECT * FROM staff_events WHERE ($1::text IS NULL OR space_id = $1) AND ($2 OR status = 'active') ORDER BY start_at, id`, [
      spaceId ?? null,
      opts.includeCancelled === true,
    ]);
    return rows.map(toEvent);
  }

  /**
   * A short fingerprint of all staff content (counts and latest change times): another process
   * compares it to notice changes made elsewhere (several bot processes on one PostgreSQL).
   */
  async version(): Promise<string> {
    const rows = await this.db.query<{ v: string }>(
      `SELECT (SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') FROM staff_events) || '|' ||
              (SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') FROM space_edits) AS v`,
    );
    return oneRow(rows).v;
  }

  // ------------------------------------------------------------ space edits

  /**
   * Saves changes to a space card: the given fields replace earlier edits of the same fields; the
   * others stay (with `replace: true`, the patch becomes the whole edit: fields left out follow the
   * spreadsheet again). @throws StaffContentError when a field is not valid.
   */
  async saveSpaceEdit(spaceId: string, patch: SpaceEdit, by: string, opts: { replace?: boolean } = {}): Promise<void> {
    const known = this.opts.spaceIds?.();
    if (known && !known.includes(spaceId)) throw new StaffContentError({ spaceId: `no space with id "${spaceId}"` });
    const v = this.opts.checks.spaceEdit(patch);
    if (!v.ok) throw new StaffContentError(v.errors);
    await this.db.query(
      `INSERT INTO space_edits (space_id, data, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (space_id) DO UPDATE SET data = CASE WHEN $4 THEN EXCLUDED.data ELSE space_edits.data || EXCLUDED.data END,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [spaceId, JSON.stringify(v.value), by, opts.replace === true],
    );
    await this.changed({ kind: 'space', spaceId });
  }

  /** The saved edits of one space, or undefined. */
  async getSpaceEdit(spaceId: string): Promise<StoredSpaceEdit | undefined> {
    const rows = await this.db.query<{ space_id: string; data: unknown; updated_at: Date; updated_by: string }>('SELECT * FROM space_edits WHERE space_id = $1', [spaceId]);
    const r = rows[0];
    return r ? { spaceId: r.space_id, edit: spaceEditColumn.parse(r.data, r.space_id), updatedAt: new Date(r.updated_at), updatedBy: r.updated_by } : undefined;
  }

  /** Every space's saved edits. */
  async spaceEdits(): Promise<StoredSpaceEdit[]> {
    const rows = await this.db.query<{ space_id: string; data: unknown; updated_at: Date; updated_by: string }>('SELECT * FROM space_edits ORDER BY space_id');
    return rows.map((r) => ({ spaceId: r.space_id, edit: spaceEditColumn.parse(r.data, r.space_id), updatedAt: new Date(r.updated_at), updatedBy: r.updated_by }));
  }
}
