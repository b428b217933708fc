import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { testConfig } from './helpers.js';

const run = promisify(execFile);

describe('a process killed between enqueue and send', () => {
  it('loses no reply: the next start sends what was queued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwb-crash-'));
    const child: { stdout: string; signal?: string } = await run(process.execPath, ['--import', 'tsx', 'test/support/enqueue-and-die.ts', dir]).catch((e) => e as { stdout: string; signal?: string });
    expect(child.signal ?? 'SIGKILL').toBe('SIGKILL');
    const ids = JSON.parse(child.stdout.trim()) as number[];
    expect(ids.length).toBeGreaterThan(0);

    const app = await createApp({ config: testConfig(), db: { kind: 'dir', dir }, embeddedQueue: true });
    try {
      for (const id of ids) expect((await app.store.getMessage(id))!.status).toBe('queued');
      const delivered: number[] = [];
      const unsubscribe = (await app.store.findPerson('web', 'w-crash')) ? app.web.subscribe('w-crash', (d) => delivered.push(d.id)) : () => undefined;
      await app.start(1);
      await app.queue.drain();
      unsubscribe();
      for (const id of ids) expect((await app.store.getMessage(id))!.status).toBe('sent');
      expect(delivered.sort()).toEqual([...ids].sort());
    } finally {
      await app.close();
    }
  });
});
