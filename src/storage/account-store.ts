/**
 * Staff accounts, sessions, login-failure counts and the audit log. Shared by every staff page
 * (facilitator console, staff portal, insights dashboard); the web layer is `src/web/auth.ts`.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db.js';
import { jsonColumn, jsonObject } from './json-column.js';

export const roles = ['admin', 'coordinator', 'facilitator', 'staff'] as const;
export type Role = (typeof roles)[number];

/** A staff account as pages see it (never the password hash). */
export interface Account {
  id: number;
  email: string;
  role: Role;
  /** For `staff`: the coworking space they work for. */
  spaceId: string | null;
  disabled: boolean;
  createdAt: Date;
}

/** One audit entry: who did what, when, to which person id. */
export interface AuditEntry {
  id: number;
  at: Date;
  userId: number | null;
  action: string;
  personId: string | null;
  detail: Record<string, unknown>;
}

/** `audit_log.detail`: free-form details of the action. */
const auditDetailColumn = jsonColumn('audit_log', 'detail', jsonObject);

type UserRow = { id: string | number; email: string; role: Role; space_id: string | null; disabled: boolean; created_at: Date; password_hash: string };

const toAccount = (r: UserRow): Account => ({
  id: Number(r.id),
  email: r.email,
  role: r.role,
  spaceId: r.space_id,
  disabled: r.disabled,
  createdAt: new Date(r.created_at),
});

/** Thrown when an email is already taken. */
export class DuplicateAccountError extends Error {}

export class AccountStore {
  constructor(readonly db: Db) {}

  /** Creates an account. `passwordHash` comes from `hashPassword` (never a clear password). */
  async create(email: string, role: Role, passwordHash: string, spaceId: string | null, now: Date): Promise<Account> {
    const rows = await this.db.query<UserRow>(
      `INSERT INTO staff_users (email, role, space_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (email) DO NOTHING RETURNING *`,
      [email.trim().toLowerCase(), role, spaceId, passwordHash, now],
    );
    if (!rows[0]) throw new DuplicateAccountError(`an account for ${email} already exists`);
    return toAccount(rows[0]);
  }

  /** The account and its password hash, for the login check only. */
  async credentials(email: string): Promise<{ account: Account; passwordHash: string } | undefined> {
    const rows = await this.db.query<UserRow>(`SELECT * FROM staff_users WHERE email = $1`, [email.trim().toLowerCase()]);
    return rows[0] ? { account: toAccount(rows[0]), passwordHash: rows[0].password_hash } : undefined;
  }

  async get(id: number): Promise<Account | undefined> {
    const rows = await this.db.query<UserRow>(`SELECT * FROM staff_users WHERE id = $1`, [id]);
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  async list(): Promise<Account[]> {
    return (await this.db.query<UserRow>(`SELECT * FROM staff_users ORDER BY email`)).map(toAccount);
  }

  /** The account with this email (any case), without its password hash. */
  async byEmail(email: string): Promise<Account | undefined> {
    return (await this.credentials(email))?.account;
  }

  /** Sets a new password hash and ends every session of the account (a reset logs out everywhere). */
  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(`UPDATE staff_users SET password_hash = $2 WHERE id = $1`, [id, passwordHash]);
      await q.query(`DELETE FROM staff_sessions WHERE user_id = $1`, [id]);
    });
  }

  /** Disables (no login, every session ended) or enables an account. Returns false for an unknown id. */
  async setDisabled(id: number, disabled: boolean): Promise<boolean> {
    return this.db.tx(async (q) => {
      const rows = await q.query(`UPDATE staff_users SET disabled = $2 WHERE id = $1 RETURNING id`, [id, disabled]);
      if (disabled) await q.query(`DELETE FROM staff_sessions WHERE user_id = $1`, [id]);
      return rows.length > 0;
    });
  }

  /** How many admin accounts can still log in (the last one is never disabled). */
  async enabledAdmins(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM staff_users WHERE role = 'admin' AND NOT disabled`);
    return Number(rows[0]?.n ?? 0);
  }

  // ── sessions ──────────────────────────────────────────────────────────────

  async createSession(tokenHash: string, userId: number, csrf: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db.query(`INSERT INTO staff_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [tokenHash, userId, csrf, now, expiresAt]);
  }

  /** The live session behind a token hash, with its account (disabled accounts have none). */
  async session(tokenHash: string, now: Date): Promise<{ account: Account; csrf: string; expiresAt: Date } | undefined> {
    const rows = await this.db.query<UserRow & { csrf: string; expires_at: Date }>(
      `SELECT u.*, s.csrf, s.expires_at FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
      [tokenHash, now],
    );
    const r = rows[0];
    return r ? { account: toAccount(r), csrf: r.csrf, expiresAt: new Date(r.expires_at) } : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.query(`DELETE FROM staff_sessions WHERE token_hash = $1`, [tokenHash]);
  }

  /** "Log out everywhere": ends every session of the account. */
  async deleteSessionsOf(userId: number): Promise<number> {
    return (await this.db.query(`DELETE FROM staff_sessions WHERE user_id = $1 RETURNING user_id`, [userId])).length;
  }

  async deleteExpiredSessions(now: Date): Promise<void> {
    await this.db.query(`DELETE FROM staff_sessions WHERE expires_at <= $1`, [now]);
  }

  // ── login rate limiting ───────────────────────────────────────────────────

  async recordLoginFailure(key: string, now: Date): Promise<void> {
    await this.db.query(`INSERT INTO staff_login_failures (rate_key, at) VALUES ($1, $2)`, [key, now]);
  }

  async loginFailuresSince(key: string, since: Date): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM staff_login_failures WHERE rate_key = $1 AND at > $2`, [key, since]);
    return Number(rows[0]?.n ?? 0);
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.db.query(`DELETE FROM staff_login_failures WHERE rate_key = $1`, [key]);
  }

  // ── audit log ─────────────────────────────────────────────────────────────

  async audit(userId: number | null, action: string, personId: string | null, detail: Record<string, unknown>, at: Date): Promise<void> {
    await this.db.query(`INSERT INTO audit_log (at, user_id, action, person_id, detail) VALUES ($1, $2, $3, $4, $5)`, [at, userId, action, personId, JSON.stringify(detail)]);
  }

  async auditEntries(filter: { personId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const rows = await this.db.query<{ id: string; at: Date; user_id: string | null; action: string; person_id: string | null; detail: unknown }>(
      `SELECT * FROM audit_log WHERE ($1::text IS NULL OR person_id = $1) ORDER BY id DESC LIMIT $2`,
      [filter.personId ?? null, filter.limit ?? 200],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at),
      userId: r.user_id === null ? null : Number(r.user_id),
      action: r.action,
      personId: r.person_id,
      detail: auditDetailColumn.parse(r.detail, r.id),
    }));
  }
}

/**
 * Erasure step for the audit trail: who looked at which conversation stays accountable, but the
 * erased person's pseudonym is replaced by a one-way tag, so nothing links the rows back to them.
 */
export async function anonymizeAuditTrail(q: Queryable, personId: string): Promise<void> {
  const tag = `erased:${createHash('sha256').update(`audit:${personId}`).digest('hex').slice(0, 12)}`;
  await q.query(`UPDATE audit_log SET person_id = $2 WHERE person_id = $1`, [personId, tag]);
}
