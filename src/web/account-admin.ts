/**
 * What an admin does to an account, from the console (`/console/users`) or the command line
 * (`coworkbot user disable|enable|reset-password`): one implementation, the same rules and the same
 * audit entries. A disabled account cannot log in and its sessions end at once; the last admin who
 * can log in is never disabled; a reset password follows the password rules and ends every session.
 */
import type { Clock } from '../clock.js';
import type { Account, AccountStore } from '../storage/account-store.js';
import { generatePassword, hashPassword } from './auth.js';
import { passwordProblem } from './passwords.js';

export type AdminResult<T = object> = ({ ok: true } & T) | { ok: false; error: string };

export class AccountAdmin {
  constructor(
    private readonly accounts: AccountStore,
    private readonly clock: Clock,
  ) {}

  /** Disables an account. `by`: the admin's account id (undefined: the command line). */
  async disable(target: Account, by?: number): Promise<AdminResult> {
    if (target.disabled) return { ok: true };
    if (by !== undefined && target.id === by) return { ok: false, error: 'You cannot disable your own account.' };
    if (target.role === 'admin' && (await this.accounts.enabledAdmins()) <= 1) return { ok: false, error: 'This is the last admin account that can log in: add another admin first.' };
    await this.accounts.setDisabled(target.id, true);
    await this.accounts.audit(by ?? null, 'user_disable', null, { userId: target.id }, this.clock.now());
    return { ok: true };
  }

  async enable(target: Account, by?: number): Promise<AdminResult> {
    if (!target.disabled) return { ok: true };
    await this.accounts.setDisabled(target.id, false);
    await this.accounts.audit(by ?? null, 'user_enable', null, { userId: target.id }, this.clock.now());
    return { ok: true };
  }

  /** Sets a new password (`password`, checked against the rules; or a generated one) and ends every session. */
  async resetPassword(target: Account, by?: number, password?: string): Promise<AdminResult<{ password: string }>> {
    const next = password ?? generatePassword();
    const problem = passwordProblem(next, target.email);
    if (problem) return { ok: false, error: problem };
    await this.accounts.setPassword(target.id, await hashPassword(next));
    await this.accounts.audit(by ?? null, 'user_password_reset', null, { userId: target.id }, this.clock.now());
    return { ok: true, password: next };
  }
}
