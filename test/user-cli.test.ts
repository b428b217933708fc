import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../src/storage/account-store.js';
import { openDatabase } from '../src/storage/db.js';
import { verifyPassword } from '../src/web/auth.js';

describe('coworkbot user add', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-user-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['bin/coworkbot.js', 'user', 'add', ...args, '--db', dir], { input, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });

  it('creates accounts with a generated or a given password, stored hashed; refuses bad input clearly', async () => {
    const generated = run(['--email', 'Admin@Example.org', '--role', 'admin']);
    expect(generated.status).toBe(0);
    const password = /Password \(shown once, store it safely\): (\S+)/.exec(generated.stdout)![1]!;
    expect(run(['--email', 'f@example.org', '--role', 'facilitator', '--password-stdin'], 'a long passphrase here\n').status).toBe(0);
    const badRole = run(['--email', 'x@example.org', '--role', 'boss']);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of admin, coordinator, facilitator, staff');
    expect(run(['--email', 's@example.org', '--role', 'staff']).stderr).toContain('--space is required');
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
  }, 60_000);
});
