/**
 * The people store: owns `people` and `channel_addresses` (finding, creating, linking, merging and
 * erasing a person). Part of `Store`'s split by table (issue #18): no other module writes
 * these tables; a statement of another store that has to write one takes its SQL from here.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChannelName } from '../core/types.js';
import { createConversation, createConversationSql } from './conversation-store.js';
import { oneRow, type Db, type Queryable } from './db.js';
import { jsonColumn } from './json-column.js';

/** A person as the core sees them. No name, no phone number: those stay with the channel address. */
export interface Person {
  id: string;
  language: string | null;
  /** How the language was set: `explicit` (the person chose it) wins over everything else. */
  languageSource: 'explicit' | 'detected' | 'hint' | null;
  consents: Record<string, boolean>;
  unreachable: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  lastInboundAt: Date | null;
}

/** `people.consents`: consent name → given. */
const consentsColumn = jsonColumn('people', 'consents', z.record(z.string(), z.boolean()));

/** A `people` row as the database returns it (for the statements that read a person with something else). */
export type PersonRow = {
  id: string;
  language: string | null;
  language_source: Person['languageSource'];
  consents: unknown;
  unreachable: boolean;
  created_at: Date;
  last_seen_at: Date;
  last_inbound_at: Date | null;
};

/** A `people` row as the core sees it. */
export const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  language: r.language,
  languageSource: r.language_source,
  consents: r.consents == null ? {} : consentsColumn.parse(r.consents, r.id),
  unreachable: r.unreachable,
  createdAt: new Date(r.created_at),
  lastSeenAt: new Date(r.last_seen_at),
  lastInboundAt: r.last_inbound_at ? new Date(r.last_inbound_at) : null,
});

/** Readable pseudonymous ids for people, e.g. `P-7K3M9Q2X` (no 0/O/1/I to avoid misreading). */
export function newPersonId(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = randomBytes(8);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `P-${s}`;
}

/**
 * `ORDER BY` of a person's addresses on one channel, the one to send to first: a phone number (all
 * digits) before a WhatsApp business-scoped user id, then the newest.
 */
export const PREFERRED_ADDRESS_FIRST = `(address ~ '^[0-9]+$') DESC, created_at DESC`;

/** A step a feature adds to erasure, run in the same transaction before the person row goes. */
export type ErasureStep = (q: Queryable, personId: string) => Promise<void>;

/**
 * The person's "seen, inbound" mark, as a data-modifying CTE body for a statement that reads the
 * person with other tables (`Store.beginTurn`): `id` and `now` are the statement's placeholders.
 */
export function touchInboundSql(id: string, now: string): string {
  return `UPDATE people SET last_seen_at = ${now}, last_inbound_at = ${now}, unreachable = false WHERE id = ${id}`;
}

/**
 * The person's language as a turn settled it, as a CTE body for the turn commit (`Store.commitTurn`):
 * written only when `code` is not null. Arguments are the statement's placeholders.
 */
export function turnLanguageSql(id: string, code: string, source: string, when = 'true'): string {
  return `UPDATE people SET language = ${code}, language_source = ${source} WHERE id = ${id} AND ${code}::text IS NOT NULL${when === 'true' ? '' : ` AND ${when}`}`;
}

/**
 * The person's turn lease taken (`Store.leaseTurn`, several processes on one PostgreSQL) with the
 * "seen, inbound" mark of {@link touchInboundSql}, as a data-modifying CTE body returning the id when
 * taken: free, already this owner's, or expired; and unchanged since `before` (the statement's
 * snapshot of the row: a take since then means its turn is not in that snapshot); and `when`.
 * `ms`: how long the lease counts without its holder.
 */
export function takeTurnLeaseSql(id: string, now: string, owner: string, ms: string, before: string, when: string): string {
  return `UPDATE people p SET last_seen_at = ${now}, last_inbound_at = ${now}, unreachable = false,
             turn_lease = ${owner}, turn_lease_until = clock_timestamp() + ${ms} * interval '1 millisecond'
           FROM ${before} b
           WHERE p.id = ${id} AND p.turn_lease_until IS NOT DISTINCT FROM b.turn_lease_until
             AND (p.turn_lease IS NULL OR p.turn_lease = ${owner} OR p.turn_lease_until < clock_timestamp())
             AND ${when}
           RETURNING p.id`;
}

/**
 * {@link turnLanguageSql} and the turn lease given back (`Store.leaseTurn`), in one update of the
 * row (one statement cannot update a row twice): the language only when `when`, the lease whenever
 * `owner` holds it (a turn that found its message handled by another process gives it back too) —
 * or, with `keep`, only when not `when`: a turn that commits keeps it to send its replies, and gives
 * it back with their marks ({@link releaseLeasesSql}).
 */
export function turnLanguageAndLeaseSql(id: string, code: string, source: string, owner: string, when: string, keep = false): string {
  const write = `(${code}::text IS NOT NULL AND ${when})`;
  return `UPDATE people SET language = CASE WHEN ${write} THEN ${code} ELSE language END,
         language_source = CASE WHEN ${write} THEN ${source} ELSE language_source END,
         turn_lease = CASE WHEN turn_lease = ${owner}${keep ? ` AND NOT (${when})` : ''} THEN NULL ELSE turn_lease END
         WHERE id = ${id} AND (${write} OR turn_lease = ${owner})`;
}

/**
 * Turn leases given back, as a statement body: each person of the text array `ids` whose lease the
 * owner at the same place of the text array `owners` still holds.
 */
export function releaseLeasesSql(ids: string, owners: string): string {
  return `UPDATE people p SET turn_lease = NULL FROM unnest(${ids}::text[], ${owners}::text[]) AS r(id, owner) WHERE p.id = r.id AND p.turn_lease = r.owner`;
}

/** People and their channel addresses. */
export class PeopleStore {
  private readonly erasureSteps: ErasureStep[] = [];

  constructor(readonly db: Db) {}

  /** Gives a turn lease back without a turn's commit (the turn failed); a lease another holds is left alone. */
  async releaseTurnLease(personId: string, owner: string): Promise<void> {
    await this.db.query(releaseLeasesSql('$1', '$2'), [[personId], [owner]]);
  }

  /** Adds an erasure step for data that is not deleted by `ON DELETE CASCADE` (e.g. an audit trail kept anonymised). */
  onErase(step: ErasureStep): void {
    this.erasureSteps.push(step);
  }

  /**
   * Finds the person behind a channel address, creating them on first contact. `aliases` are other
   * identifiers of the same person on that channel that came with the message (WhatsApp: a phone
   * number and a business-scoped user id): the person is found by any of them, the unknown ones are
   * linked to that person, and two people found for one user are merged into the one seen last.
   * `opts.unknown`: the caller has just found no one with `address` (and there are no aliases), so
   * the lookup is skipped; a concurrent first contact is still caught by the creation's count.
   */
  async resolvePerson(channel: ChannelName, address: string, now: Date, aliases: readonly string[] = [], opts: { unknown?: boolean } = {}): Promise<{ person: Person; isNew: boolean }> {
    const ids = [...new Set([address, ...aliases].filter((a) => a.length > 0))];
    if (ids.length === 1) {
      const found = opts.unknown ? undefined : await this.findPerson(channel, address);
      if (found) return { person: found, isNew: false };
    } else {
      // Every identifier already known, all for one person: nothing to link (the common case).
      const rows = await this.db.query<PersonRow & { n: string }>(
        `SELECT p.*, a.n FROM (SELECT person_id, count(*) AS n FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]) GROUP BY person_id) a
         JOIN people p ON p.id = a.person_id`,
        [channel, ids],
      );
      if (rows.length === 1 && Number(oneRow(rows).n) === ids.length) return { person: toPerson(oneRow(rows)), isNew: false };
      if (rows.length > 0) return this.resolveInTx(channel, ids, now);
    }
    // No identifier known (first contact): the person, their conversation and their addresses in
    // one statement, one round trip instead of a transaction of six (the first wave of new people
    // all wait on the one embedded database thread). Another process that linked one of these
    // identifiers meanwhile leaves an address out: this person is dropped and the general path runs.
    const created = await this.db.query<PersonRow & { linked: string }>(
      `WITH p AS (INSERT INTO people (id, created_at, last_seen_at) VALUES ($1, $2, $2) RETURNING *),
       c AS (${createConversationSql('$1')}),
       a AS (INSERT INTO channel_addresses (channel, address, person_id) SELECT $3, x, $1 FROM unnest($4::text[]) AS x
             ON CONFLICT (channel, address) DO NOTHING RETURNING 1)
       SELECT p.*, (SELECT count(*) FROM a) AS linked FROM p`,
      [newPersonId(), now, channel, ids],
    );
    const row = oneRow(created);
    if (Number(row.linked) === ids.length) return { person: toPerson(row), isNew: true };
    await this.db.query(`DELETE FROM people WHERE id = $1`, [row.id]);
    return this.resolveInTx(channel, ids, now);
  }

  /** {@link resolvePerson} when some identifier is known: link and merge in one transaction. */
  private resolveInTx(channel: ChannelName, ids: readonly string[], now: Date): Promise<{ person: Person; isNew: boolean }> {
    return this.db.tx(async (q) => {
      const { personId, isNew } = await this.unify(q, channel, ids, now, true);
      const row = await q.query<PersonRow>(`SELECT * FROM people WHERE id = $1`, [personId]);
      return { person: toPerson(oneRow(row)), isNew };
    });
  }

  /**
   * Makes `ids` (identifiers on one channel) belong to one person: the owner seen last among those
   * who already have one of them, or (with `create`) a new person. Other owners are merged into it.
   * Runs inside a transaction; a concurrent creation of the same identifier is merged too.
   */
  private async unify(q: Queryable, channel: ChannelName, ids: readonly string[], now: Date, create: boolean): Promise<{ personId: string; isNew: boolean }> {
    const ownersOf = async () =>
      (
        await q.query<{ id: string }>(
          `SELECT p.id FROM people p WHERE p.id IN (SELECT person_id FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]))
           ORDER BY p.last_seen_at DESC, p.created_at DESC, p.id`,
          [channel, ids],
        )
      ).map((r) => r.id);
    const owners = await ownersOf();
    let keep = owners[0];
    let isNew = false;
    if (!keep) {
      if (!create) return { personId: '', isNew: false };
      keep = newPersonId();
      isNew = true;
      await q.query(`INSERT INTO people (id, created_at, last_seen_at) VALUES ($1, $2, $2)`, [keep, now]);
      await createConversation(q, keep);
    }
    for (const other of owners.slice(1)) await this.mergePeople(q, keep, other);
    for (const id of ids) {
      await q.query(`INSERT INTO channel_addresses (channel, address, person_id) VALUES ($1, $2, $3) ON CONFLICT (channel, address) DO NOTHING`, [channel, id, keep]);
    }
    // Another process created or linked one of these identifiers at the same moment.
    const after = await ownersOf();
    if (after.length > 1 || after[0] !== keep) {
      const into = isNew ? (after.find((id) => id !== keep) ?? keep) : keep;
      for (const other of after) if (other !== into) await this.mergePeople(q, into, other);
      if (into !== keep) {
        await q.query(`DELETE FROM people WHERE id = $1`, [keep]); // our new person, now empty
        return { personId: into, isNew: false };
      }
    }
    return { personId: keep, isNew };
  }

  /** The tables and columns that hold a person id (foreign keys to `people`, and every `person_id`). */
  private personColumns?: Promise<{ tbl: string; col: string }[]>;

  /**
   * Merges person `drop` into person `keep` (one WhatsApp user seen under two identifiers): every row
   * that names `drop` is moved to `keep`; a row that cannot move because `keep` already has its
   * equivalent (a conversation, an open case) is dropped. Then `drop` is deleted.
   */
  private async mergePeople(q: Queryable, keep: string, drop: string): Promise<void> {
    // Read inside the transaction: the embedded database runs one statement stream at a time.
    this.personColumns ??= q.query<{ tbl: string; col: string }>(
      `SELECT t.relname AS tbl, a.attname AS col FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.confrelid = 'people'::regclass AND cardinality(c.conkey) = 1
       UNION
       SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = current_schema() AND c.column_name = 'person_id'
       ORDER BY 1, 2`,
    );
    const ident = (x: string) => `"${x.replace(/"/g, '""')}"`;
    for (const { tbl, col } of await this.personColumns) {
      const t = ident(tbl);
      const c = ident(col);
      await q.query('SAVEPOINT merge_table');
      try {
        await q.query(`UPDATE ${t} SET ${c} = $1 WHERE ${c} = $2`, [keep, drop]);
        await q.query('RELEASE SAVEPOINT merge_table');
        continue;
      } catch {
        await q.query('ROLLBACK TO SAVEPOINT merge_table');
        await q.query('RELEASE SAVEPOINT merge_table');
      }
      // A unique key got in the way: move row by row, dropping the rows `keep` already has.
      for (const { ctid } of await q.query<{ ctid: string }>(`SELECT ctid::text AS ctid FROM ${t} WHERE ${c} = $1`, [drop])) {
        await q.query('SAVEPOINT merge_row');
        try {
          await q.query(`UPDATE ${t} SET ${c} = $1 WHERE ctid = $2::tid`, [keep, ctid]);
        } catch {
          await q.query('ROLLBACK TO SAVEPOINT merge_row');
          await q.query(`DELETE FROM ${t} WHERE ctid = $1::tid`, [ctid]);
        }
        await q.query('RELEASE SAVEPOINT merge_row');
      }
    }
    await q.query(
      `UPDATE people k SET created_at = LEAST(k.created_at, d.created_at), last_seen_at = GREATEST(k.last_seen_at, d.last_seen_at),
         last_inbound_at = GREATEST(k.last_inbound_at, d.last_inbound_at), language = COALESCE(k.language, d.language),
         language_source = CASE WHEN k.language IS NULL THEN d.language_source ELSE k.language_source END, consents = d.consents || k.consents
       FROM people d WHERE k.id = $1 AND d.id = $2`,
      [keep, drop],
    );
    await q.query(`DELETE FROM people WHERE id = $1`, [drop]);
  }

  /**
   * Links identifiers that a platform reported together (a delivery status naming both a phone
   * number and a business-scoped user id) to the person who has one of them. Never creates a person.
   */
  async linkAddresses(channel: ChannelName, ids: readonly string[], now: Date): Promise<string | undefined> {
    const unique = [...new Set(ids.filter((a) => a.length > 0))];
    if (unique.length < 2) return undefined;
    const personId = await this.db.tx(async (q) => (await this.unify(q, channel, unique, now, false)).personId);
    return personId || undefined;
  }

  /**
   * The person changed identifiers (a new phone number, a new business-scoped user id): found by
   * any of `known`, they lose `retired` (an old number can be given to someone else) and gain
   * `current`. A new identifier that already wrote (before the notice arrived) is the same person.
   * @returns the person, or undefined when none of `known` is linked to anyone.
   */
  async replaceAddresses(channel: ChannelName, change: { known: readonly string[]; retired: readonly string[]; current: readonly string[] }, now: Date): Promise<string | undefined> {
    const current = [...new Set(change.current.filter((a) => a.length > 0))];
    const retired = change.retired.filter((a) => !current.includes(a));
    return this.db.tx(async (q) => {
      const owner = await q.query<{ person_id: string }>(`SELECT person_id FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]) ORDER BY created_at DESC LIMIT 1`, [
        channel,
        [...change.known, ...retired],
      ]);
      const personId = owner[0]?.person_id;
      if (!personId) return undefined;
      await q.query(`DELETE FROM channel_addresses WHERE channel = $1 AND person_id = $2 AND address = ANY($3::text[])`, [channel, personId, retired]);
      for (const id of current) {
        await q.query(`INSERT INTO channel_addresses (channel, address, person_id) VALUES ($1, $2, $3) ON CONFLICT (channel, address) DO NOTHING`, [channel, id, personId]);
      }
      if (current.length > 0) {
        const others = await q.query<{ person_id: string }>(`SELECT DISTINCT person_id FROM channel_addresses WHERE channel = $1 AND address = ANY($2::text[]) AND person_id <> $3`, [
          channel,
          current,
          personId,
        ]);
        for (const o of others) await this.mergePeople(q, personId, o.person_id);
      }
      return personId;
    });
  }

  /** The person behind a channel address, without creating one. */
  async findPerson(channel: ChannelName, address: string): Promise<Person | undefined> {
    const rows = await this.db.query<PersonRow>(`SELECT p.* FROM channel_addresses a JOIN people p ON p.id = a.person_id WHERE a.channel = $1 AND a.address = $2`, [channel, address]);
    return rows[0] ? toPerson(rows[0]) : undefined;
  }

  async getPerson(id: string): Promise<Person | undefined> {
    const rows = await this.db.query<PersonRow>(`SELECT * FROM people WHERE id = $1`, [id]);
    return rows[0] ? toPerson(rows[0]) : undefined;
  }

  async setLanguage(id: string, language: string, source: NonNullable<Person['languageSource']>): Promise<void> {
    await this.db.query(`UPDATE people SET language = $2, language_source = $3 WHERE id = $1`, [id, language, source]);
  }

  async setConsent(id: string, purpose: string, given: boolean): Promise<void> {
    await this.db.query(`UPDATE people SET consents = consents || jsonb_build_object($2::text, $3::boolean) WHERE id = $1`, [id, purpose, given]);
  }

  async markUnreachable(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE people SET unreachable = true, unreachable_reason = $2 WHERE id = $1`, [id, reason]);
  }

  async touchPerson(id: string, now: Date, inbound: boolean): Promise<void> {
    await this.db.query(
      `UPDATE people SET last_seen_at = $2, last_inbound_at = CASE WHEN $3 THEN $2 ELSE last_inbound_at END,
       unreachable = CASE WHEN $3 THEN false ELSE unreachable END WHERE id = $1`,
      [id, now, inbound],
    );
  }

  /**
   * The channel address to send to (only the sender and erasure read this). A person can have
   * several on one channel (WhatsApp: a phone number and a business-scoped user id): a phone number
   * is preferred, as Meta does when both are given; the user id is used when no number is known.
   */
  async addressOf(personId: string, channel: ChannelName): Promise<string | undefined> {
    const rows = await this.db.query<{ address: string }>(`SELECT address FROM channel_addresses WHERE person_id = $1 AND channel = $2 ORDER BY ${PREFERRED_ADDRESS_FIRST} LIMIT 1`, [
      personId,
      channel,
    ]);
    return rows[0]?.address;
  }

  /** Every address a person has, on every channel (their "my data" export). */
  async addressesOf(personId: string): Promise<{ channel: ChannelName; address: string }[]> {
    return this.db.query<{ channel: ChannelName; address: string }>(`SELECT channel, address FROM channel_addresses WHERE person_id = $1 ORDER BY channel, ${PREFERRED_ADDRESS_FIRST}`, [personId]);
  }

  /**
   * Erases everything personal about a person in every table: the profile, channel addresses,
   * conversation, messages (cascade from `people`), and whatever the registered erasure steps
   * ({@link onErase}) remove — queued jobs that name them (the queue's step, src/queue/db-queue.ts),
   * the knowledge gaps they asked. Tables added by features reference `people(id) ON DELETE CASCADE`,
   * so they are erased too. The anonymous event log keeps its rows (their actor id cannot be linked
   * back once the person is gone).
   * @returns whether the person existed.
   */
  async erasePerson(personId: string): Promise<boolean> {
    return this.db.tx(async (q) => {
      for (const step of this.erasureSteps) await step(q, personId);
      const rows = await q.query(`DELETE FROM people WHERE id = $1 RETURNING id`, [personId]);
      return rows.length > 0;
    });
  }

  /** People whose last message is older than `before` (for the retention job). */
  async inactiveSince(before: Date, limit = 500): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM people WHERE last_seen_at < $1 ORDER BY last_seen_at LIMIT $2`, [before, limit]);
    return rows.map((r) => r.id);
  }
}

/**
 * Test and benchmark seeding: `n` people with ids `idPrefix + 000001…` and addresses `addressBase + i`
 * on `channel`, one INSERT … SELECT generate_series per table (not n round trips).
 */
export async function seedPeople(q: Queryable, n: number, opts: { channel: ChannelName; idPrefix: string; addressBase: number; lang?: string; lastInboundAt?: Date | null }): Promise<void> {
  await q.query(
    `INSERT INTO people (id, language, language_source, last_inbound_at)
     SELECT $1 || lpad(i::text, 6, '0'), $2, 'explicit', $3 FROM generate_series(1, $4::int) i`,
    [opts.idPrefix, opts.lang ?? 'en', opts.lastInboundAt ?? null, n],
  );
  await q.query(
    `INSERT INTO channel_addresses (channel, address, person_id)
     SELECT $1, ($2::bigint + i)::text, $3 || lpad(i::text, 6, '0') FROM generate_series(1, $4::int) i`,
    [opts.channel, opts.addressBase, opts.idPrefix, n],
  );
}
