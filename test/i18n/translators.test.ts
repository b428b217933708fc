/**
 * The translators' round trip: PO files (read and written as translators' tools do), the in-place
 * JSON edit, `coworkbot locales export` and `import` with review status per string.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { localesCommand } from '../../src/cli/locales.js';
import { checkLocales } from '../../src/i18n/check.js';
import { localesDir } from '../../src/i18n/i18n.js';
import { setJsonValues } from '../../src/i18n/json-edit.js';
import { PoError, readPo, writePo, type PoEntry } from '../../src/i18n/po.js';
import { readReview } from '../../src/i18n/review.js';
import { exportPo, importPo } from '../../src/i18n/translators.js';
import { runCommand } from '../cli-run.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function localesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'locales-po-'));
  dirs.push(dir);
  cpSync(localesDir, dir, { recursive: true });
  return dir;
}

/** Sets one entry of a PO text: its translation, and whether it stays fuzzy. */
function edit(po: string, key: string, change: (e: PoEntry) => void): string {
  const file = readPo(po);
  const e = file.entries.find((x) => x.context === key);
  if (!e) throw new Error(`no ${key}`);
  change(e);
  return writePo(file);
}

describe('PO files', () => {
  it('round-trip any text: quotes, backslashes, tabs, line breaks, any script', () => {
    const entry = fc.record({
      context: fc.string({ minLength: 1 }),
      id: fc.string({ minLength: 1 }),
      str: fc.string(),
      extracted: fc.array(
        fc
          .string()
          .map((s) => s.replace(/[\r\n]/g, ' ').trim())
          .filter((s) => s !== ''),
      ),
      comments: fc.constant([] as string[]),
      references: fc.array(fc.stringMatching(/^[a-z/._-]{1,20}$/)),
      flags: fc.subarray(['fuzzy', 'no-c-format']),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (entries) => {
        const again = readPo(writePo({ headers: { Language: 'fa', 'Last-Translator': 'Ana <a@example.org>' }, entries }));
        expect(again.headers.Language).toBe('fa');
        expect(again.entries.map((e) => [e.context, e.id, e.str, e.flags])).toEqual(entries.map((e) => [e.context, e.id, e.str, e.flags]));
      }),
      { numRuns: 200 },
    );
  });

  it('reads what Poedit writes (multi-line strings, previous msgid, obsolete entries) and refuses broken files', () => {
    const po = [
      'msgid ""',
      'msgstr ""',
      '"Language: fa\\n"',
      '"Last-Translator: Reza <r@example.org>\\n"',
      '',
      '#. Keep {{count}}',
      '#| msgid "old"',
      '#, fuzzy',
      'msgctxt "core:help"',
      'msgid ""',
      '"line one\\n"',
      '"line two"',
      'msgstr "یک\\nدو"',
      '',
      '#~ msgid "gone"',
      '#~ msgstr "رفته"',
    ].join('\n');
    const file = readPo(po);
    expect(file.headers['Last-Translator']).toBe('Reza <r@example.org>');
    expect(file.entries).toHaveLength(1);
    expect(file.entries[0]).toMatchObject({ context: 'core:help', id: 'line one\nline two', str: 'یک\nدو', flags: ['fuzzy'], extracted: ['Keep {{count}}'] });
    expect(() => readPo('msgid "a"\n')).toThrow(PoError);
    expect(() => readPo('msgid "a"\nmsgid_plural "b"\nmsgstr[0] "c"\n')).toThrow(/plural/);
    expect(() => readPo('msgid "a"\nmsgstr "b"\nnonsense\n')).toThrow(/line 3/);
  });
});

describe('editing a JSON locale in place', () => {
  it('changes only the values asked for and keeps the layout (a word list stays on one line)', () => {
    const text = '{\n  "a": "x",\n  "words": ["one", "two"],\n  "n": { "b": "y \\"q\\"", "c": 3 }\n}\n';
    const out = setJsonValues(
      text,
      new Map<string, string | string[]>([
        ['n.b', 'new "z"'],
        ['words', ['uno', 'due', 'tre']],
      ]),
    );
    expect(out).toBe('{\n  "a": "x",\n  "words": ["uno", "due", "tre"],\n  "n": { "b": "new \\"z\\"", "c": 3 }\n}\n');
    expect(() => setJsonValues(text, new Map([['nope', 'x']]))).toThrow(/no key/);
  });
});

describe('export and import for translators', () => {
  it('exports every string of a language, not yet reviewed ones marked fuzzy, plural forms one by one', () => {
    const po = readPo(exportPo(localesDir, 'ar', new Date('2026-12-01T10:00:00Z')));
    expect(po.headers.Language).toBe('ar');
    const keys = po.entries.map((e) => e.context);
    expect(keys).toContain('core:menu.project');
    expect(keys.filter((k) => k?.startsWith('core:walkMinutes_'))).toHaveLength(6); // Arabic's six plural forms
    expect(po.entries.every((e) => e.flags.includes('fuzzy'))).toBe(true);
    const words = po.entries.find((e) => e.context === 'core:commands.menu')!;
    expect(words.str.split('\n')).toContain('قائمة');
    expect(po.entries.find((e) => e.context === 'knowledge:spaces.walk')!.extracted.join(' ')).toMatch(/\{\{km\}\}.*\{\{min\}\}/);
  });

  it('imports a reviewed file: translations written in place, approved strings marked reviewed, bad entries skipped', () => {
    const dir = localesCopy();
    let po = exportPo(dir, 'fa');
    po = edit(po, 'core:menu.language', (e) => {
      e.str = 'زبان‌ها';
      e.flags = [];
    });
    po = edit(po, 'core:menu.menu', (e) => (e.flags = [])); // approved as it is
    po = edit(po, 'core:help', (e) => (e.str = `${e.str} بیشتر`)); // changed, still fuzzy: not reviewed
    po = edit(po, 'knowledge:spaces.walk', (e) => {
      e.str = 'حدود {{min}} دقیقه';
      e.flags = [];
    }); // lost {{km}}
    po = edit(po, 'core:welcome', (e) => (e.id = 'An older English welcome')); // exported before the English changed
    const before = readFileSync(join(dir, 'fa', 'core.json'), 'utf8');
    const r = importPo(dir, po, { reviewer: 'Dari-speaking facilitator, Officina Municipale', date: '2026-12-02' });
    expect(r).toMatchObject({ lang: 'fa', changed: 2, reviewed: 2 });
    expect(r.skipped.map((s) => s.key).sort()).toEqual(['core:welcome', 'knowledge:spaces.walk']);
    const after = readFileSync(join(dir, 'fa', 'core.json'), 'utf8');
    // Only the two lines changed.
    const diff = after.split('\n').filter((l, i) => l !== before.split('\n')[i]);
    expect(diff).toHaveLength(2);
    expect(JSON.parse(after).menu.language).toBe('زبان‌ها');
    const review = readReview(dir, 'fa');
    expect(Object.keys(review).sort()).toEqual(['core:menu.language', 'core:menu.menu']);
    expect(review['core:menu.menu']).toMatchObject({ by: 'Dari-speaking facilitator, Officina Municipale', date: '2026-12-02' });
    expect(checkLocales(dir).review.fa).toMatchObject({ reviewed: 2, stale: 0 });
    // A later edit of a reviewed translation, without review, makes it stale; the next export says so.
    const core = JSON.parse(readFileSync(join(dir, 'fa', 'core.json'), 'utf8'));
    core.menu.menu = 'فهرست';
    writeFileSync(join(dir, 'fa', 'core.json'), JSON.stringify(core, null, 2));
    expect(checkLocales(dir).review.fa).toMatchObject({ reviewed: 1, stale: 1 });
    const again = readPo(exportPo(dir, 'fa'));
    expect(again.entries.find((e) => e.context === 'core:menu.menu')).toMatchObject({ flags: ['fuzzy'], comments: [expect.stringMatching(/check again/)] });
    expect(again.entries.find((e) => e.context === 'core:menu.language')!.flags).toEqual([]);
  });

  it('refuses to mark strings reviewed without a reviewer, and a file for no language we speak', () => {
    const dir = localesCopy();
    const po = edit(exportPo(dir, 'so'), 'core:menu.menu', (e) => (e.flags = []));
    expect(() => importPo(dir, po)).toThrow(/reviewer/);
    expect(() => importPo(dir, po.replace('Language: so', 'Language: de'))).toThrow(/language/);
  });

  it('runs as `coworkbot locales export` and `import`', async () => {
    const dir = localesCopy();
    const file = join(dir, 'ti.po');
    const run = (...args: string[]) => spawnSync(process.execPath, ['bin/coworkbot.js', 'locales', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    expect(run('export', '--lang', 'ti', '--dir', dir, '--out', file).status).toBe(0);
    writeFileSync(
      file,
      edit(readFileSync(file, 'utf8'), 'core:menu.events', (e) => (e.flags = [])),
    );
    const imported = run('import', file, '--dir', dir, '--reviewer', 'Tigrinya reviewer');
    expect(imported.stdout).toContain('ti: 0 translation(s) changed, 1 string(s) newly marked reviewed');
    expect(imported.status).toBe(0);
    // The check and the refusal in this process (test/cli-run.ts): export and import above are the
    // processes this test is about; test/i18n/locales.test.ts runs `locales check` as one.
    const check = await runCommand(localesCommand, ['check', '--dir', dir]);
    expect(check.stdout).toMatch(/ti: 1 \/ 0 \/ \d+ of \d+/);
    expect((await runCommand(localesCommand, ['export', '--lang', 'xx'])).status).toBe(2);
  });
});
