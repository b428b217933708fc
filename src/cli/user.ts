import { errorMessage } from '../logger.js';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { AccountStore, DuplicateAccountError, roles, type Role } from '../storage/account-store.js';
import { configuredDb, openDatabase, parseDbTarget } from '../storage/db.js';
import { AccountAdmin } from '../web/account-admin.js';
import { generatePassword, hashPassword } from '../web/auth.js';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../web/passwords.js';
import type { Command } from './command.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
}

const usage = `Usage: coworkbot user add --email EMAIL --role ROLE [--space SPACE_ID] [--password-stdin] [--db TARGET]
       coworkbot user disable --email EMAIL [--db TARGET]
       coworkbot user enable --email EMAIL [--db TARGET]
       coworkbot user reset-password --email EMAIL [--password-stdin] [--db TARGET]`;

const options = { email: { type: 'string' }, role: { type: 'string' }, space: { type: 'string' }, 'password-stdin': { type: 'boolean' }, db: { type: 'string' } } as const;

export const userCommand: Command = {
  summary: 'staff accounts: add, disable, enable, reset-password',
  help: `${usage}

add             creates a staff account for the console and the staff pages. ROLE is one of
                ${roles.join(', ')}; a staff account needs --space (the space id it works for).
disable         the account can no longer log in and every session of it ends at once
                (the last admin who can log in cannot be disabled).
enable          lets a disabled account log in again.
reset-password  sets a new password and ends every session of the account.

Without --password-stdin a random password is generated and printed once; with it, the first
line of standard input is the password. A password has at least ${MIN_PASSWORD_LENGTH} characters, is not one
of the most common passwords, not one or two characters repeated, and not the email's name.
Passwords are stored only as salted scrypt hashes. Every change is written to the audit log.

Example (the first admin):
  coworkbot user add --email you@example.org --role admin`,
  async run(args, config) {
    const [sub, ...rest] = args;
    if (!sub || !['add', 'disable', 'enable', 'reset-password'].includes(sub)) {
      process.stderr.write(`${usage}\n`);
      return 2;
    }
    let values;
    try {
      ({ values } = parseArgs({ args: rest, options }));
    } catch (err) {
      process.stderr.write(`${errorMessage(err)}\n`);
      return 2;
    }
    const email = values.email?.trim() ?? '';
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
      process.stderr.write('--email must be an email address.\n');
      return 2;
    }
    if (sub === 'add') {
      const role = values.role as Role;
      if (!roles.includes(role)) {
        process.stderr.write(`--role must be one of ${roles.join(', ')}.\n`);
        return 2;
      }
      if (role === 'staff' && !values.space) {
        process.stderr.write('--space is required for a staff account (the space id it works for).\n');
        return 2;
      }
    }
    const given = values['password-stdin'] ? await readStdin() : undefined;
    if (given !== undefined) {
      const problem = passwordProblem(given, email);
      if (problem) {
        process.stderr.write(`${problem}\n`);
        return 2;
      }
    }
    const db = await openDatabase(values.db ? parseDbTarget(values.db) : configuredDb(config));
    try {
      const accounts = new AccountStore(db);
      if (sub === 'add') {
        const password = given ?? generatePassword();
        const account = await accounts.create(email, values.role as Role, await hashPassword(password), values.space ?? null, new Date());
        await accounts.audit(null, 'user_add', null, { userId: account.id, role: account.role, by: 'command line' }, new Date());
        process.stdout.write(`Created ${account.role} account ${account.email}${account.spaceId ? ` (space ${account.spaceId})` : ''}.\n`);
        if (given === undefined) process.stdout.write(`Password (shown once, store it safely): ${password}\n`);
        return 0;
      }
      const target = await accounts.byEmail(email);
      if (!target) {
        process.stderr.write(`No account for ${email}.\n`);
        return 1;
      }
      const admin = new AccountAdmin(accounts, systemClock);
      if (sub === 'reset-password') {
        const r = await admin.resetPassword(target, undefined, given);
        if (!r.ok) {
          process.stderr.write(`${r.error}\n`);
          return 1;
        }
        process.stdout.write(`New password set for ${target.email}; every session of the account has ended.\n`);
        if (given === undefined) process.stdout.write(`Password (shown once, store it safely): ${r.password}\n`);
        return 0;
      }
      const r = sub === 'disable' ? await admin.disable(target) : await admin.enable(target);
      if (!r.ok) {
        process.stderr.write(`${r.error}\n`);
        return 1;
      }
      process.stdout.write(sub === 'disable' ? `Disabled ${target.email}: it cannot log in, and its sessions have ended.\n` : `Enabled ${target.email}: it can log in again.\n`);
      return 0;
    } catch (err) {
      if (err instanceof DuplicateAccountError) {
        process.stderr.write(`${err.message}.\n`);
        return 1;
      }
      throw err;
    } finally {
      await db.close();
    }
  },
};
