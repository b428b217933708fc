import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { FixedClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { testConfig } from './helpers.js';

describe('content refresh on a running app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-refresh-'));
  cpSync('data/demo', dir, { recursive: true });
  let app: App | undefined;
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves relative demo dates with the days, imports an edited file and keeps content when a file breaks', async () => {
    const clock = new FixedClock(new Date('2026-11-24T09:00:00Z'));
    // The warnings, to see the refresh meet the broken file (not a fixed pause that may end before it).
    const warnings: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        warnings.push(chunk.toString());
        done();
      },
    });
    app = await createApp({ config: testConfig({ CONTENT_DIR: dir }), db: { kind: 'memory' }, embeddedQueue: true, clock, sweepMs: 0, contentRefreshMs: 50, log: createLogger('warn', sink) });
    await app.start(1);
    const before = app.knowledge.event('cv_job_clinic')!.start.getTime();

    // Generous waits: a refresh re-imports the demo (translations included), seconds on a loaded machine; each
    // wait ends as soon as the change is seen.
    clock.advance(24 * 3600_000);
    await vi.waitFor(() => expect(app!.knowledge.event('cv_job_clinic')!.start.getTime()).toBe(before + 24 * 3600_000), { timeout: 30_000 });

    const spaces = readFileSync(join(dir, 'spaces.csv'), 'utf8');
    writeFileSync(join(dir, 'spaces.csv'), spaces.replace('Millepiani', 'Millepiani Coworking Renamed'));
    await vi.waitFor(() => expect(app!.knowledge.space('millepiani')!.name).toContain('Renamed'), { timeout: 30_000 });

    writeFileSync(join(dir, 'events.csv'), 'id,space_id\nbroken\n');
    await vi.waitFor(() => expect(warnings.some((w) => w.includes('content not refreshed'))).toBe(true), { timeout: 30_000 });
    expect(app.knowledge.event('cv_job_clinic')).toBeDefined();
    expect(app.knowledge.space('millepiani')!.name).toContain('Renamed');
  });
});
