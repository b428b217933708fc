import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freshPostgres, TEST_DATABASE_URL } from './helpers.js';

/** Runs `coworkbot simulate` with `input` on stdin; returns the parsed output lines. */
function simulate(input: string, args: string[] = []): Promise<{ lines: Record<string, unknown>[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/coworkbot.js', 'simulate', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({
          lines: out
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
          code,
        });
      } catch (e) {
        reject(new Error(`bad output: ${out}\n${err}\n${e}`));
      }
    });
    child.stdin.end(input);
  });
}

describe('coworkbot simulate', () => {
  // One process serves both checks (each process starts the bot: ~3 s of CPU); the second check's
  // person is not in the first one's lines.
  it('prints one valid output line per input line, and an error line for a malformed one; gives one reply to two identical messages (same external id)', async () => {
    const { lines, code } = await simulate(
      [
        '{"user": "a", "text": "hi"}',
        '{"user": "a", "text": ',
        '{"user": "a"}',
        '{"user": "a", "choice": "cmd:help", "channel": "whatsapp"}',
        '{"user": "b", "voice": true, "lang": "ar"}',
        '{"user":"c","text":"hi","id":"m1"}',
        '{"user":"c","text":"hi","id":"m1"}',
      ].join('\n'),
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatchObject({ user: 'a', lang: 'en', handoff: false });
    expect((lines[0]!.replies as unknown[]).length).toBeGreaterThan(0);
    expect(lines[1]).toEqual({ error: 'line 2: not valid JSON' });
    expect(lines[2]!.error).toMatch(/give exactly one of/);
    expect(lines[3]).toMatchObject({ user: 'a', lang: 'en' });
    expect(lines[4]).toMatchObject({ user: 'b', lang: 'ar' });
    // The same message id twice: one reply set, then none.
    expect((lines[5]!.replies as unknown[]).length).toBeGreaterThan(0);
    expect(lines[6]!.replies).toEqual([]);
  });

  it('rejects a bad --now with a clear message', async () => {
    const child = spawn(process.execPath, ['bin/coworkbot.js', 'simulate', '--now', 'tomorrow'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(2);
    expect(err).toMatch(/--now must be an ISO 8601/);
  });

  it.runIf(TEST_DATABASE_URL)('gives one reply across two processes sharing one PostgreSQL database', async () => {
    const pgdb = await freshPostgres();
    try {
      // Create the schema first so both processes start on a migrated database.
      await simulate('{"user":"warmup","text":"hi"}\n', ['--db', pgdb.url]);
      const line = '{"user":"twin","text":"hello","id":"dup-across-processes"}\n';
      const [a, b] = await Promise.all([simulate(line, ['--db', pgdb.url]), simulate(line, ['--db', pgdb.url])]);
      const counts = [a, b].map((r) => (r.lines[0]!.replies as unknown[]).length);
      expect(counts.filter((n) => n > 0)).toHaveLength(1);
      expect(counts.filter((n) => n === 0)).toHaveLength(1);
    } finally {
      await pgdb.drop();
    }
  });
});
