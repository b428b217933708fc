/**
 * The conversation store: owns `conversations` (who handles a conversation, and the state the core
 * keeps between messages). Part of `Store`'s split by table (issue #18): no other module
 * writes this table; a statement or transaction of another store that has to write it calls a
 * function exported here with its client, or takes its SQL from here.
 */
import { z } from 'zod';
import type { Db, Queryable } from './db.js';
import { jsonColumn, jsonObject } from './json-column.js';

/** Who handles the conversation right now. */
export type ConversationMode = 'bot' | 'waiting' | 'human';

export interface Conversation {
  personId: string;
  mode: ConversationMode;
  /** Serializable state owned by the core and the flow engine. */
  state: ConversationState;
}

/** What the core remembers between messages. Features add their own keys under `features`. */
export interface ConversationState {
  /** The choices the bot offered last (re-checked when a button is pressed or a number typed). */
  offered?: { id: string; label: string }[];
  /** How many of the last `offered` came with the latest message (a typed number picks among them). */
  lastCount?: number;
  /** The feature that gets free input first (a running flow, a pending question). */
  focus?: string;
  /** Consecutive questions the bot could not answer. */
  misses?: number;
  /** Per-feature state (flow engine, knowledge follow-ups…). */
  features?: Record<string, unknown>;
  /** A message waiting for the answer to "which language?" (src/core/pipeline.ts). */
  pendingLanguage?: PendingLanguage;
}

/** The message the bot asked about ("which language do you write in?") and the languages it offered. */
export interface PendingLanguage {
  messageId: number;
  text: string;
  /** It was the person's first message (the welcome still has to come). */
  isNew: boolean;
  asked: string[];
}

// Loose objects: keys this version does not know are kept, as they were before parsing.
const pendingLanguageSchema: z.ZodType<PendingLanguage> = z.looseObject({
  messageId: z.number(),
  text: z.string(),
  isNew: z.boolean(),
  asked: z.array(z.string()),
});

/** `conversations.state`. */
const stateColumn = jsonColumn<ConversationState>(
  'conversations',
  'state',
  z.looseObject({
    offered: z.array(z.looseObject({ id: z.string(), label: z.string() })).optional(),
    lastCount: z.number().optional(),
    focus: z.string().optional(),
    misses: z.number().optional(),
    features: jsonObject.optional(),
    pendingLanguage: pendingLanguageSchema.optional(),
  }),
);

/** A `conversations.state` value read with other columns (a null is the empty state). */
export function parseConversationState(state: unknown, personId: string): ConversationState {
  return state == null ? {} : stateColumn.parse(state, personId);
}

/** The conversation row of a new person (the people store, inside its creating transaction). */
export async function createConversation(q: Queryable, personId: string): Promise<void> {
  await q.query(`INSERT INTO conversations (person_id) VALUES ($1)`, [personId]);
}

/**
 * {@link createConversation} as a CTE body, for the statement that creates a person in one round
 * trip (`PeopleStore.resolvePerson`): `personId` is the statement's placeholder.
 */
export function createConversationSql(personId: string): string {
  return `INSERT INTO conversations (person_id) VALUES (${personId})`;
}

/** Sets who handles a conversation (the handoff store, inside its case transaction). */
export async function setConversationMode(q: Queryable, personId: string, mode: ConversationMode, now: Date): Promise<void> {
  await q.query(`UPDATE conversations SET mode = $2, updated_at = $3 WHERE person_id = $1`, [personId, mode, now]);
}

/**
 * The turn commit's state write, as a CTE body (`Store.commitTurn`): an upsert, skipped when
 * `state` is null. Arguments are the statement's placeholders.
 */
export function turnStateSql(personId: string, state: string, at: string, when = 'true'): string {
  return `INSERT INTO conversations (person_id, state, updated_at) SELECT ${personId}, ${state}::jsonb, ${at} WHERE ${state}::jsonb IS NOT NULL${when === 'true' ? '' : ` AND ${when}`}
         ON CONFLICT (person_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`;
}

/** Conversations: mode and state. */
export class ConversationStore {
  constructor(readonly db: Db) {}

  async getConversation(personId: string): Promise<Conversation> {
    const rows = await this.db.query<{ mode: ConversationMode; state: unknown }>(`SELECT mode, state FROM conversations WHERE person_id = $1`, [personId]);
    const r = rows[0];
    return { personId, mode: r?.mode ?? 'bot', state: parseConversationState(r?.state, personId) };
  }

  async saveConversationState(personId: string, state: ConversationState, now: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO conversations (person_id, state, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [personId, JSON.stringify(state), now],
    );
  }

  async setMode(personId: string, mode: ConversationMode, now: Date, q: Queryable = this.db): Promise<void> {
    await setConversationMode(q, personId, mode, now);
  }
}
