import { parseArgs } from 'node:util';
import { configuredDb } from '../app.js';
import { AccountStore, DuplicateAccountError, roles, type Role } from '../storage/account-store.js';
import { openDatabase, parseDbTarget } from '../storage/db.js';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../web/auth.js';
import type { Command } from './command.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]!.trim();
}

export const userCommand: Command = {
  summary: 'add a staff account (admin, coordinator, facilitator, staff)',
  help: `Usage: coworkbot user add --email EMAIL --role ROLE [--space SPACE_ID] [--password-stdin] [--db TARGET]

Creates a staff account for the console and the staff pages. ROLE is one of
${roles.join(', ')}; a staff account needs --space (the space id it works for).
Without --password-stdin a random password is generated and printed once; with it,
the first line of standard input is the password (at least ${MIN_PASSWORD_LENGTH} characters).
The password is stored only as a salted scrypt hash.

Example (the first admin):
  coworkbot user add --email you@example.org --role admin`,
  async run(args, config) {
    const [sub, ...rest] = args;
    if (sub !== 'add') {
      process.stderr.write('Usage: coworkbot user add --email EMAIL --role ROLE [--space SPACE_ID] [--password-stdin]\n');
      return 2;
    }
    let values;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, role: { type: 'string' }, space: { type: 'string' }, 'password-stdin': { type: 'boolean' }, db: { type: 'string' } },
      }));
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
    const email = values.email?.trim() ?? '';
    const role = values.role as Role;
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
      process.stderr.write('--email must be an email address.\n');
      return 2;
    }
    if (!roles.includes(role)) {
      process.stderr.write(`--role must be one of ${roles.join(', ')}.\n`);
      return 2;
    }
    if (role === 'staff' && !values.space) {
      process.stderr.write('--space is required for a staff account (the space id it works for).\n');
      return 2;
    }
    const password = values['password-stdin'] ? await readStdin() : generatePassword();
    if (password.length < MIN_PASSWORD_LENGTH) {
      process.stderr.write(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.\n`);
      return 2;
    }
    const db = await openDatabase(values.db ? parseDbTarget(values.db) : configuredDb(config));
    try {
      const account = await new AccountStore(db).create(email, role, await hashPassword(password), values.space ?? null, new Date());
      process.stdout.write(`Created ${account.role} account ${account.email}${account.spaceId ? ` (space ${account.spaceId})` : ''}.\n`);
      if (!values['password-stdin']) process.stdout.write(`Password (shown once, store it safely): ${password}\n`);
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
