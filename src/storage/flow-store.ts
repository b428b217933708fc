/**
 * Data access for flows: project cards (one current card per person, replaced when corrected) and
 * preferences saved by a flow (the subscription choices).
 */
import { oneRow, type Db, type Queryable } from './db.js';
import { jsonColumn, jsonObject } from './json-column.js';

/** Flow answers (field → { value, text? }), as `project_cards.answers` and `flow_preferences.answers` hold them. */
const cardAnswersColumn = jsonColumn('project_cards', 'answers', jsonObject);
/** `flow_preferences.answers` (the broadcast store reads the subscriptions flow's answers too). */
export const preferencesColumn = jsonColumn('flow_preferences', 'answers', jsonObject);
/** `events.data` (free-form details; the events table holds no personal data). */
const eventDataColumn = jsonColumn('events', 'data', jsonObject);

/** A project card as staff and the person see it. */
export interface ProjectCard {
  id: number;
  personId: string;
  flow: string;
  /** The person's language; `cardPerson` is written in it. */
  lang: string;
  stage: string | null;
  /** 1 welcome, 2 help with the project (general mentoring), 3 an expert (technical mentoring). */
  supportLevel: 1 | 2 | 3;
  /** The raw answers (field → { value, text? }). */
  answers: Record<string, unknown>;
  cardPerson: string;
  /** The copies for staff. */
  cardIt: string;
  cardEn: string;
  /** Whether the person agreed to share the card with a facilitator or a space. */
  shareConsent: boolean;
  /** `model`: the card opens with a summary written by the language model (marked as such); `template`: answers only. */
  summaryKind: 'template' | 'model';
  createdAt: Date;
  updatedAt: Date;
}

export type NewProjectCard = Omit<ProjectCard, 'id' | 'createdAt' | 'updatedAt' | 'summaryKind'> & { summaryKind?: ProjectCard['summaryKind'] };

type CardRow = {
  id: string | number;
  person_id: string;
  flow: string;
  lang: string;
  stage: string | null;
  support_level: number;
  answers: unknown;
  card_person: string;
  card_it: string;
  card_en: string;
  share_consent: boolean;
  summary_kind: string;
  created_at: Date;
  updated_at: Date;
};

const toCard = (r: CardRow): ProjectCard => ({
  id: Number(r.id),
  personId: r.person_id,
  flow: r.flow,
  lang: r.lang,
  stage: r.stage,
  supportLevel: Math.min(3, Math.max(1, r.support_level)) as 1 | 2 | 3,
  answers: cardAnswersColumn.parse(r.answers, r.id),
  cardPerson: r.card_person,
  cardIt: r.card_it,
  cardEn: r.card_en,
  shareConsent: r.share_consent,
  summaryKind: r.summary_kind === 'model' ? 'model' : 'template',
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export class FlowStore {
  constructor(readonly db: Db) {}

  /** Saves the person's card, replacing their previous card from the same flow (a correction updates it). */
  async saveCard(card: NewProjectCard, now: Date): Promise<ProjectCard> {
    return this.db.tx(async (q) => {
      await q.query(`DELETE FROM project_cards WHERE person_id = $1 AND flow = $2`, [card.personId, card.flow]);
      const rows = await q.query<CardRow>(
        `INSERT INTO project_cards (person_id, flow, lang, stage, support_level, answers, card_person, card_it, card_en, share_consent, summary_kind, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, $11, $11) RETURNING *`,
        [
          card.personId,
          card.flow,
          card.lang,
          card.stage,
          card.supportLevel,
          JSON.stringify(card.answers),
          card.cardPerson,
          card.cardIt,
          card.cardEn,
          card.shareConsent,
          now,
          card.summaryKind ?? 'template',
        ],
      );
      return toCard(oneRow(rows));
    });
  }

  /** The person's most recent card, for them and for a facilitator taking over the conversation. */
  async latestCard(personId: string): Promise<ProjectCard | undefined> {
    const rows = await this.db.query<CardRow>(`SELECT * FROM project_cards WHERE person_id = $1 ORDER BY updated_at DESC, id DESC LIMIT 1`, [personId]);
    return rows[0] ? toCard(rows[0]) : undefined;
  }

  /** Deletes every card of the person. Returns how many were deleted. */
  async deleteCards(personId: string): Promise<number> {
    const rows = await this.db.query(`DELETE FROM project_cards WHERE person_id = $1 RETURNING id`, [personId]);
    return rows.length;
  }

  /**
   * The drop-off chart: how many different people reached each step of a flow (from `flow_step`
   * events, which hold a pseudonymous actor and the step id only).
   */
  async reachedSteps(flow: string): Promise<{ step: string; people: number }[]> {
    const rows = await this.db.query<{ step: string; people: string | number }>(
      `SELECT data->>'step' AS step, COUNT(DISTINCT actor) AS people FROM events
       WHERE type = 'flow_step' AND data->>'flow' = $1 GROUP BY data->>'step' ORDER BY people DESC, step`,
      [flow],
    );
    return rows.map((r) => ({ step: r.step, people: Number(r.people) }));
  }

  /** Every flow event (`flow_*`, `card_*`) in time order, for insights and for checking that no answer text leaks. */
  async flowEvents(): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const rows = await this.db.query<{ id: string | number; type: string; data: unknown }>(
      `SELECT id, type, data FROM events WHERE type LIKE 'flow\_%' OR type LIKE 'card\_%' OR type IN ('matches_shown', 'subscribed') ORDER BY id`,
    );
    return rows.map((r) => ({ type: r.type, data: eventDataColumn.parse(r.data, r.id) }));
  }

  async savePreferences(personId: string, flow: string, answers: Record<string, unknown>, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO flow_preferences (person_id, flow, answers, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id, flow) DO UPDATE SET answers = EXCLUDED.answers, updated_at = EXCLUDED.updated_at`,
      [personId, flow, JSON.stringify(answers), now],
    );
  }

  async preferences(personId: string, flow: string): Promise<Record<string, unknown> | undefined> {
    const rows = await this.db.query<{ answers: unknown }>(`SELECT answers FROM flow_preferences WHERE person_id = $1 AND flow = $2`, [personId, flow]);
    return rows[0] && preferencesColumn.parse(rows[0].answers, personId);
  }
}

/**
 * Deletes the answers a person saved in one flow (this module owns `flow_preferences`; the broadcast
 * store clears the subscriptions flow's inside its "stop" transaction). @returns how many rows (0 or 1).
 */
export async function deletePreferences(q: Queryable, personId: string, flow: string): Promise<number> {
  const rows = await q.query(`DELETE FROM flow_preferences WHERE person_id = $1 AND flow = $2 RETURNING flow`, [personId, flow]);
  return rows.length;
}
