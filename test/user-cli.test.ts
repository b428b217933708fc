/**
 * `coworkbot user`: accounts created, refused, disabled, enabled and reset, checked in the database.
 * The first command runs as a real process (the entry point, `--db`, the exit code and the printed
 * password); the others run the same command in this process (test/cli-run.ts: same code, same exit
 * codes and output, without a Node start, the CLI's modules and PGlite compiled again for each). The
 * coordinators' guide runs add, disable, enable and reset-password as processes (test/docs.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { userCommand } from '../src/cli/user.js';
import { AccountStore } from '../src/storage/account-store.js';
import { openDatabase } from '../src/storage/db.js';
import { verifyPassword } from '../src/web/auth.js';
import { runCommand } from './cli-run.js';

describe('coworkbot user', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-user-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** As a process. */
  const asProcess = (sub: string, args: string[]) =>
    spawnSync(process.execPath, ['bin/coworkbot.js', 'user', sub, ...args, '--db', dir], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
  /** In this process. */
  const user = (sub: string, args: string[], input?: string) => runCommand(userCommand, [sub, ...args, '--db', dir], { input });
  const run = (args: string[], input?: string) => user('add', args, input);

  it('creates accounts with a generated or a given password, stored hashed; refuses bad input clearly', async () => {
    const generated = asProcess('add', ['--email', 'Admin@Example.org', '--role', 'admin']);
    expect(generated.status).toBe(0);
    const password = /Password \(shown once, store it safely\): (\S+)/.exec(generated.stdout)![1]!;
    expect((await run(['--email', 'f@example.org', '--role', 'facilitator', '--password-stdin'], 'a long passphrase here\n')).status).toBe(0);
    const badRole = await run(['--email', 'x@example.org', '--role', 'boss']);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of admin, coordinator, facilitator, staff');
    expect((await run(['--email', 's@example.org', '--role', 'staff'])).stderr).toContain('--space is required');
    const db = await openDatabase({ kind: 'dir', dir });
    try {
      const accounts = new AccountStore(db);
      const admin = (await accounts.credentials('admin@example.org'))!;
      expect(admin.account.role).toBe('admin');
      expect(admin.passwordHash).not.toContain(password);
      expect(await verifyPassword(password, admin.passwordHash)).toBe(true);
      expect(await verifyPassword('a long passphrase here', (await accounts.credentials('f@example.org'))!.passwordHash)).toBe(true);
    } finally {
      await db.close();
    }
  }, 240_000);

  it('refuses a weak password with one clear line', async () => {
    const r = await run(['--email', 'weakling@example.org', '--role', 'facilitator', '--password-stdin'], 'aaaaaaaaaa\n');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('The password must not be one or two characters repeated.');
  }, 120_000);

  it('disables, enables and resets accounts; the last admin who can log in is never disabled', async () => {
    expect((await run(['--email', 'fac@example.org', '--role', 'facilitator', '--password-stdin'], 'first long passphrase\n')).status).toBe(0);
    const db = await openDatabase({ kind: 'dir', dir });
    const accounts = new AccountStore(db);
    const fac = (await accounts.byEmail('fac@example.org'))!;
    await accounts.createSession('token-hash-of-fac', fac.id, 'csrf', new Date(), new Date(Date.now() + 3_600_000));
    await db.close();

    const disabled = await user('disable', ['--email', 'FAC@example.org']);
    expect(disabled.status).toBe(0);
    expect(disabled.stdout).toContain('Disabled fac@example.org');
    const reset = await user('reset-password', ['--email', 'fac@example.org']);
    expect(reset.status).toBe(0);
    const newPassword = /Password \(shown once, store it safely\): (\S+)/.exec(reset.stdout)![1]!;
    // admin@example.org (first test) is the only admin: it stays.
    const last = await user('disable', ['--email', 'admin@example.org']);
    expect(last.status).toBe(1);
    expect(last.stderr).toContain('last admin');

    const again = await openDatabase({ kind: 'dir', dir });
    try {
      const store = new AccountStore(again);
      expect((await store.byEmail('fac@example.org'))!.disabled).toBe(true);
      expect(await store.session('token-hash-of-fac', new Date())).toBeUndefined();
      const creds = (await store.credentials('fac@example.org'))!;
      expect(await verifyPassword(newPassword, creds.passwordHash)).toBe(true);
      expect(await verifyPassword('first long passphrase', creds.passwordHash)).toBe(false);
      expect((await store.auditEntries()).map((e) => e.action)).toEqual(expect.arrayContaining(['user_disable', 'user_password_reset']));
    } finally {
      await again.close();
    }
    expect((await user('enable', ['--email', 'fac@example.org'])).status).toBe(0);
    const check = await openDatabase({ kind: 'dir', dir });
    try {
      expect((await new AccountStore(check).byEmail('fac@example.org'))!.disabled).toBe(false);
    } finally {
      await check.close();
    }
  }, 300_000);
});
