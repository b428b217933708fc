/** `coworkbot translations fill` and `list` against a fake model server, on PGlite and PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { translationsCommand } from '../src/cli/translations.js';
import { loadContent } from '../src/knowledge/content.js';
import { translatableContent } from '../src/knowledge/translatable.js';
import { fakeJsonModel, type FakeJsonModel } from './fake-json-model.js';
import { dbTargetNames, freshPostgres, testConfig } from './helpers.js';

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await translationsCommand.run(args, testConfig(env));
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe.each(dbTargetNames())('coworkbot translations (%s)', (name) => {
  let fake: FakeJsonModel;
  let db: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    fake = await fakeJsonModel();
    if (name === 'pglite') {
      db = mkdtempSync(join(tmpdir(), 'cwb-cli-'));
      cleanup = async () => rmSync(db, { recursive: true, force: true });
    } else {
      const pg = await freshPostgres();
      db = pg.url;
      cleanup = pg.drop;
    }
  });
  afterAll(async () => {
    await fake?.close();
    await cleanup?.();
  });

  it('fill translates every text missing in a language once; list shows them; a second fill asks nothing', async () => {
    const content = loadContent('data/demo', { now: new Date(), timezone: 'Europe/Rome' });
    const missing = translatableContent(content).flatMap((r) => Object.values(r.fields).filter((f) => !f.uk?.trim() && Object.values(f).some((v) => v?.trim()))).length;
    expect(missing).toBeGreaterThan(0);

    expect((await run(['fill', '--lang', 'uk'], {})).code).toBe(2); // no model configured
    const env = { OPENAI_BASE_URL: fake.url };
    const first = await run(['fill', '--lang', 'uk', '--delay-ms', '0', '--db', db], env);
    expect(first.out).toBe(`Translated ${missing} texts; 0 left in another language (refused, rejected or the model failed).\n`);
    expect(first.code).toBe(0);
    const calls = fake.calls.length;
    expect(calls).toBeLessThanOrEqual(missing); // fields of one record share a call

    const list = await run(['list', '--lang', 'uk', '--status', 'machine', '--db', db], env);
    const lines = list.out.trim().split('\n');
    expect(lines).toHaveLength(missing);
    expect(lines.every((l) => /^\d+\tmachine\tuk\t(explainer|space|event):\S+\t\w+\t\[Ukrainian\] /.test(l))).toBe(true);

    const second = await run(['fill', '--lang', 'uk', '--delay-ms', '0', '--db', db], env);
    expect(second.out).toMatch(/^Translated 0 texts; 0 left/);
    expect(fake.calls.length).toBe(calls);
  });
});
