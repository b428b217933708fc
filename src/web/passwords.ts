/**
 * Password rules for staff accounts, checked wherever a password is set (`coworkbot user add` and
 * `reset-password`, the console's account page): long enough, not one of the passwords people pick
 * first (a short list bundled in `common-passwords.txt`), not one character repeated, not the
 * account's own email. Login never applies them (an old password still opens its account).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;
/** The longest (a longer one is almost certainly a paste mistake). */
export const MAX_PASSWORD_LENGTH = 200;

const common = new Set(
  readFileSync(join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.normalize('NFKC').toLowerCase()),
);

/** How a password compares with the list: lower case, without trailing digits, spaces and symbols. */
function stem(password: string): string[] {
  const lower = password.normalize('NFKC').toLowerCase();
  return [lower, lower.replace(/[\s\p{N}\p{P}\p{S}]+$/u, ''), lower.replace(/^[\s\p{N}\p{P}\p{S}]+/u, '')];
}

/**
 * Why a password is refused, in one sentence for the person setting it; undefined when it is fine.
 * @param email the account's email, whose name part the password must not be built on
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (chars.length > MAX_PASSWORD_LENGTH) return `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (new Set(chars.map((c) => c.toLowerCase())).size <= 2) return 'The password must not be one or two characters repeated.';
  if (stem(password).some((s) => common.has(s))) return 'This password is one of the most common ones: choose another (a few unrelated words work well).';
  const name = email?.split('@')[0]?.toLowerCase();
  if (name && name.length >= 4 && stem(password).some((s) => s === name || s.replace(/[^\p{L}\p{N}]/gu, '') === name.replace(/[^\p{L}\p{N}]/gu, ''))) {
    return 'The password must not be the account’s email name.';
  }
  return undefined;
}
