/** `coworkbot start` as a real process: serves the web chat, and stops cleanly on SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bin/coworkbot.js', 'start'], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      if (out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

describe('coworkbot start', () => {
  it('serves the web chat on embedded defaults, says where, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cwb-start-'));
    const { child, output } = await start({ PORT: String(port), DATA_DIR: dataDir });
    expect(output()).toContain(`http://127.0.0.1:${port}/`);
    expect(output()).toContain(`embedded PGlite in ${dataDir}`);

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form id="composer"');
    const { session } = await (await fetch(`http://127.0.0.1:${port}/api/chat/session`, { method: 'POST' })).json();
    const reply = await (await fetch(`http://127.0.0.1:${port}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, text: 'hello' }) })).json();
    expect(reply.replies.length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // The data directory is released: a second start on it works and keeps the conversation.
    const again = await start({ PORT: String(port), DATA_DIR: dataDir });
    const history = await (await fetch(`http://127.0.0.1:${port}/api/chat/history?session=${session}`)).json();
    expect(history.messages.length).toBeGreaterThanOrEqual(2);
    const exited2 = new Promise<number | null>((r) => again.child.on('exit', (code) => r(code)));
    again.child.kill('SIGTERM');
    expect(await exited2).toBe(0);
  });

  it('refuses a wrong setting with one clear line', async () => {
    const child = spawn(process.execPath, ['bin/coworkbot.js', 'start'], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(78);
    expect(err.trim()).toBe('Configuration error: PORT must be a TCP port number (1-65535) (got "eighty").');
  });
});
