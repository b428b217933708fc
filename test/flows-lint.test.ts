import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { lintFlows } from '../src/cli/flow.js';
import { testConfig } from './helpers.js';
import { flowsDir, loadFlows } from '../src/flows/load.js';
import { Translator } from '../src/i18n/i18n.js';
import { languageCodes } from '../src/i18n/languages.js';

const files = readdirSync(flowsDir).filter((f) => f.endsWith('.yaml'));
const translator = await Translator.create();

/** Every leaf key of a nested JSON object, with its value. */
function leaves(o: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  } else out.set(prefix, o);
  return out;
}
const placeholders = (s: unknown) => (typeof s === 'string' ? [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort() : []);

describe('flows/ lint', () => {
  it('has the three flows', () => {
    expect(files.sort()).toEqual(['incubation.yaml', 'onboarding.yaml', 'subscriptions.yaml']);
    expect([...loadFlows().keys()].sort()).toEqual(['incubation', 'onboarding', 'subscriptions']);
  });

  it.each(files)('%s is valid and speaks all 16 languages', async (file) => {
    expect(await lintFlows([join(flowsDir, file)], translator)).toEqual([]);
  });

  it('reports a missing translation with the file and path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    const file = join(dir, 'demo.yaml');
    writeFileSync(file, 'format: 2\nid: demo\nversion: 1\ntitle: flows:nope.title\nsteps:\n  - { id: a, type: say, text: { en: "Hi", it: "Ciao" } }\n');
    const problems = await lintFlows([file], translator);
    expect(problems[0]).toMatch(/demo\.yaml: title: "flows:nope\.title" is missing in it, en, fr/);
    expect(problems[1]).toMatch(/demo\.yaml: steps\.0\.text: text is missing in fr, es/);
  });

  it('an invalid flow stops start-up with file, path and reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir, 'broken.yaml'), 'format: 2\nid: broken\nversion: 1\ntitle: { en: B }\nsteps:\n  - { id: a, type: ask, kind: choice, field: a, prompt: { en: Q } }\n');
    await expect(createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true, flowsDir: dir })).rejects.toThrow(/broken\.yaml: steps\.0\.options: a "choice" question needs options/);
  });

  it('locales/<lang>/flows.json: same keys and placeholders in all 16 languages', () => {
    const load = (l: string) => leaves(JSON.parse(readFileSync(join(flowsDir, '..', 'locales', l, 'flows.json'), 'utf8')));
    const base = load('en');
    for (const lang of languageCodes) {
      const other = load(lang);
      expect([...other.keys()].sort(), lang).toEqual([...base.keys()].sort());
      for (const [k, v] of base) {
        expect(placeholders(other.get(k)), `${lang}:${k}`).toEqual(placeholders(v));
        if (typeof v === 'string') expect(String(other.get(k)).trim().length, `${lang}:${k}`).toBeGreaterThan(0);
      }
    }
  });
});
