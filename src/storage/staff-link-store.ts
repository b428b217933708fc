/**
 * Links between staff accounts and chat people (staff using the bot on Telegram). The portal makes a
 * short one-time code (random, 10 minutes, single use, stored only as a SHA-256 hash); the staff
 * member sends `/link CODE` in the chat and that person is linked to the account. A new code replaces
 * an older unused one. The link holds the pseudonymous person id only.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Db } from './db.js';

/** How long a code works. */
export const LINK_CODE_TTL_MS = 10 * 60_000;
/** Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

const hash = (code: string) => createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest('hex');

export type RedeemResult = { ok: true; userId: number } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

export class StaffLinkStore {
  constructor(private readonly db: Db) {}

  /** A new code for an account (older unused codes stop working). Returns the code to show once. */
  async createCode(userId: number, now: Date): Promise<{ code: string; expiresAt: Date }> {
    const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await this.db.tx(async (q) => {
      await q.query(`DELETE FROM staff_link_codes WHERE user_id = $1 AND used_at IS NULL`, [userId]);
      await q.query(`INSERT INTO staff_link_codes (code_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)`, [hash(code), userId, expiresAt, now]);
    });
    return { code, expiresAt };
  }

  /**
   * Uses a code: links `personId` to the code's account (replacing the account's previous link and
   * any link this person had). The code is marked used in the same statement, so it works once.
   */
  async redeem(code: string, personId: string, now: Date): Promise<RedeemResult> {
    return this.db.tx(async (q) => {
      const used = await q.query<{ user_id: string | number }>(`UPDATE staff_link_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`, [
        hash(code),
        now,
      ]);
      if (!used[0]) {
        const known = await q.query<{ used_at: Date | null }>(`SELECT used_at FROM staff_link_codes WHERE code_hash = $1`, [hash(code)]);
        return { ok: false, reason: !known[0] ? 'invalid' : known[0].used_at ? 'used' : 'expired' } as const;
      }
      const userId = Number(used[0].user_id);
      await q.query(`DELETE FROM staff_chat_links WHERE user_id = $1 OR person_id = $2`, [userId, personId]);
      await q.query(`INSERT INTO staff_chat_links (user_id, person_id, linked_at) VALUES ($1, $2, $3)`, [userId, personId, now]);
      return { ok: true, userId } as const;
    });
  }

  /** The staff account a chat person is linked to. */
  async accountOf(personId: string): Promise<number | undefined> {
    const rows = await this.db.query<{ user_id: string | number }>(`SELECT user_id FROM staff_chat_links WHERE person_id = $1`, [personId]);
    return rows[0] ? Number(rows[0].user_id) : undefined;
  }

  /** When an account was linked (undefined: not linked). */
  async linkOf(userId: number): Promise<{ linkedAt: Date } | undefined> {
    const rows = await this.db.query<{ linked_at: Date }>(`SELECT linked_at FROM staff_chat_links WHERE user_id = $1`, [userId]);
    return rows[0] ? { linkedAt: new Date(rows[0].linked_at) } : undefined;
  }

  async unlink(userId: number): Promise<boolean> {
    const rows = await this.db.query(`DELETE FROM staff_chat_links WHERE user_id = $1 RETURNING user_id`, [userId]);
    return rows.length > 0;
  }
}
