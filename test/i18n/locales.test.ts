import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLocales, placeholders, pluralCategories, readStatus } from '../../src/i18n/check.js';
import { textHash } from '../../src/i18n/review.js';
import { localesDir } from '../../src/i18n/i18n.js';
import { languageCodes, languages } from '../../src/i18n/languages.js';
import { requestedLanguage } from '../../src/i18n/names.js';
import { normalizeForMatch } from '../../src/core/text.js';

const namespaces = readdirSync(join(localesDir, 'en'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));

describe('the locales in the repository', () => {
  const report = checkLocales(localesDir);

  it('have every language directory and every namespace file in every language', () => {
    expect(namespaces).toContain('core');
    for (const lang of languageCodes) {
      const files = readdirSync(join(localesDir, lang))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort();
      expect(files, `locales/${lang}/`).toEqual([...namespaces].sort());
    }
  });

  it('have no missing or extra key, broken placeholder or wrong plural form in any namespace', () => {
    expect(report.namespaces.sort()).toEqual([...namespaces].sort());
    expect(report.issues.map((i) => `${i.lang}/${i.ns}:${i.key ?? ''} ${i.kind} ${i.detail ?? ''}`)).toEqual([]);
  });

  it('write each language in its own script', () => {
    for (const { code: lang, script: re } of languages) {
      if (!re) continue;
      const core = JSON.parse(readFileSync(join(localesDir, lang, 'core.json'), 'utf8')) as Record<string, unknown>;
      for (const key of ['welcome', 'whatCanIDo', 'languageSet', 'notUnderstood']) expect(core[key], `${lang} ${key}`).toMatch(re);
    }
    // Ukrainian is Ukrainian: it uses letters Russian lacks, and none Russian has alone.
    const uk = readFileSync(join(localesDir, 'uk', 'core.json'), 'utf8');
    expect(uk).toMatch(/[іїє]/);
    expect(uk).not.toMatch(/[ыэъё]/);
  });

  it('use the plural categories of each language (Arabic six, Ukrainian and Russian four, Chinese one)', () => {
    expect(pluralCategories('ar').sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    expect(pluralCategories('uk').sort()).toEqual(['few', 'many', 'one', 'other']);
    expect(pluralCategories('zh')).toEqual(['other']);
    const ar = JSON.parse(readFileSync(join(localesDir, 'ar', 'core.json'), 'utf8')) as Record<string, string>;
    expect(
      Object.keys(ar)
        .filter((k) => k.startsWith('walkMinutes_'))
        .sort(),
    ).toEqual(['walkMinutes_few', 'walkMinutes_many', 'walkMinutes_one', 'walkMinutes_other', 'walkMinutes_two', 'walkMinutes_zero']);
  });

  it('are listed honestly in STATUS.md: every language, none claimed as reviewed without a reviewer', () => {
    const status = readStatus(localesDir);
    expect(status.map((s) => s.code).sort()).toEqual([...languageCodes].sort());
    for (const s of status) {
      expect(s.name).toBe(languages.find((l) => l.code === s.code)!.nativeName);
      if (s.status === 'reviewed') expect(s.reviewedBy).not.toMatch(/^(—|-|)$/);
      else expect(s.writtenBy).toBe('drafted by machine, not yet reviewed by a native speaker');
    }
    expect(report.unreviewed.sort()).toEqual(
      status
        .filter((s) => s.status !== 'reviewed')
        .map((s) => s.code)
        .sort(),
    );
  });
});

describe('the locale check', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A copy of the real locales, changed by `edit`. */
  function brokenCopy(edit: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'locales-'));
    dirs.push(dir);
    cpSync(localesDir, dir, { recursive: true });
    edit(dir);
    return dir;
  }
  const editJson = (dir: string, lang: string, ns: string, change: (j: Record<string, unknown>) => void) => {
    const path = join(dir, lang, `${ns}.json`);
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(path, JSON.stringify(json));
  };

  it('finds a missing key, an extra key, a broken placeholder and a wrong plural form', () => {
    const dir = brokenCopy((d) => {
      editJson(d, 'fa', 'core', (j) => delete j.welcome);
      editJson(d, 'uk', 'core', (j) => (j.surprise = 'Несподіванка'));
      editJson(d, 'ar', 'core', (j) => (j.fallbackNote = 'هذا النص باللغة {{lang}}.'));
      editJson(d, 'ru', 'core', (j) => delete j.walkMinutes_few);
      editJson(d, 'zh', 'core', (j) => (j.walkMinutes_one = '步行{{count}}分钟'));
      editJson(d, 'so', 'core', (j) => ((j.media as Record<string, string>).voice = 'Cod {{count}}'));
    });
    const kinds = checkLocales(dir).issues.map((i) => `${i.kind} ${i.lang} ${i.key}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['missing-key fa welcome', 'extra-key uk surprise', 'placeholder ar fallbackNote', 'plural ru walkMinutes', 'plural zh walkMinutes', 'placeholder so media.voice']),
    );
    expect(kinds).toHaveLength(6);
  });

  it('finds strings left in English, glossary breaks and a changed interview name; allows listed identical words', () => {
    const dir = brokenCopy((d) => {
      editJson(d, 'fr', 'core', (j) => ((j.menu as Record<string, string>).explain = 'What is coworking?'));
      editJson(d, 'ps', 'core', (j) => ((j.menu as Record<string, string>).events = 'پیښې'));
      editJson(d, 'so', 'knowledge', (j) => ((j.buttons as Record<string, string>).events = 'Dhacdooyin'));
      editJson(d, 'ru', 'flows', (j) => ((j.inc as Record<string, string>).title = 'Оформить мою идею'));
      editJson(d, 'it', 'core', (j) => ((j.menu as Record<string, string>).menu = 'Menu')); // allowed in identical.yaml
    });
    const found = checkLocales(dir).issues.map((i) => `${i.kind} ${i.lang} ${i.key}`);
    expect(found.sort()).toEqual(
      [
        'same-as-english fr menu.explain',
        'glossary ps menu.events', // a word to avoid ("incidents")
        'glossary ps menu.events', // and not the glossary's word
        'glossary so buttons.events',
        'glossary so buttons.events',
        'glossary ru inc.title', // not the interview's name
      ].sort(),
    );
  });

  it('counts the review status of every string: reviewed, changed since review, machine-drafted', () => {
    const dir = brokenCopy((d) => {
      const en = JSON.parse(readFileSync(join(d, 'en', 'core.json'), 'utf8')) as { menu: Record<string, string> };
      const fa = JSON.parse(readFileSync(join(d, 'fa', 'core.json'), 'utf8')) as { menu: Record<string, string> };
      writeFileSync(
        join(d, 'fa', 'review.yaml'),
        [
          `"core:menu.menu": { source: ${textHash(en.menu.menu!)}, text: ${textHash(fa.menu.menu!)}, by: "Dari reviewer", date: 2026-12-01 }`,
          `"core:menu.language": { source: ${textHash('an older English text')}, text: ${textHash(fa.menu.language!)}, by: "Dari reviewer", date: 2026-12-01 }`,
        ].join('\n'),
      );
    });
    const r = checkLocales(dir).review.fa!;
    expect(r.reviewed).toBe(1);
    expect(r.stale).toBe(1);
    expect(r.machine).toBeGreaterThan(300);
    expect(checkLocales(localesDir).review.fa).toMatchObject({ reviewed: 0, stale: 0 });
  });

  it('covers a namespace added later, and a language that lacks its file', () => {
    const dir = brokenCopy((d) => {
      for (const lang of languageCodes) if (lang !== 'ti') writeFileSync(join(d, lang, 'later.json'), JSON.stringify({ hello: lang === 'en' ? 'Hi {{name}}' : `x {{name}}` }));
      writeFileSync(join(d, 'bn', 'later.json'), JSON.stringify({ hello: 'হাই' }));
    });
    const report = checkLocales(dir);
    expect(report.namespaces).toContain('later');
    expect(report.issues.map((i) => `${i.kind} ${i.lang} ${i.ns}`).sort()).toEqual(['missing-file ti later', 'placeholder bn later']);
  });

  it('runs as `coworkbot locales check`: exit 1 with the problems listed, 0 when complete', () => {
    const broken = brokenCopy((d) => editJson(d, 'ps', 'core', (j) => delete j.help));
    const bad = spawnSync(process.execPath, ['bin/coworkbot.js', 'locales', 'check', '--dir', broken], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('ps/core.json help: missing key');
    expect(bad.stdout).toMatch(/Not yet reviewed by a native speaker \(16\)/);
    const good = spawnSync(process.execPath, ['bin/coworkbot.js', 'locales', 'check'], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    expect(good.stdout).toContain('No missing keys');
    expect(good.status).toBe(0);
  });

  it('reads placeholders the way i18next writes them', () => {
    expect([...placeholders('{{count}} km, {{ name , uppercase }} $t(core:menu.menu)')]).toEqual(['{{count}}', '{{name}}', '$t(core:menu.menu)']);
  });
});

describe('command words (core:commands.*)', () => {
  const commandsOf = (lang: string) => (JSON.parse(readFileSync(join(localesDir, lang, 'core.json'), 'utf8')) as { commands: Record<string, string[]> }).commands;

  it('never mean two different commands, in any pair of languages, and are never a language request', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const lang of languageCodes) {
      for (const [cmd, words] of Object.entries(commandsOf(lang))) {
        for (const w of words) {
          const key = normalizeForMatch(w);
          if (!key) continue;
          const before = seen.get(key);
          if (before && before !== cmd) clashes.push(`${lang} "${w}": ${before} / ${cmd}`);
          seen.set(key, cmd);
          if (requestedLanguage(w)) clashes.push(`${lang} "${w}" is also a language name`);
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('include the natural words of each language', () => {
    const has = (lang: string, cmd: string, word: string) => expect(commandsOf(lang)[cmd], `${lang} ${cmd}`).toContain(word);
    has('ar', 'menu', 'قائمة');
    has('ar', 'human', 'إنسان');
    has('ar', 'human', 'موظف');
    has('uk', 'menu', 'меню');
    has('uk', 'human', 'людина');
    has('uk', 'human', 'оператор');
    has('fa', 'menu', 'منو');
    has('fa', 'human', 'انسان');
    has('fa', 'human', 'اپراتور');
    has('zh', 'human', '人工');
  });

  it('include the words the help text tells people to write', () => {
    // "Write “menu” to come back here. Write “person” to talk to a person." — in every language.
    for (const lang of languageCodes) {
      const strings = JSON.parse(readFileSync(join(localesDir, lang, 'core.json'), 'utf8')) as { help: string; commands: Record<string, string[]> };
      const quoted = [...strings.help.matchAll(/[“«„]([^”»“]+)[”»“]/g)].map((m) => normalizeForMatch(m[1]!));
      const menuWords = strings.commands.menu!.map(normalizeForMatch);
      const humanWords = strings.commands.human!.map(normalizeForMatch);
      expect(
        quoted.some((q) => menuWords.includes(q)),
        `${lang}: ${quoted.join(' | ')}`,
      ).toBe(true);
      expect(
        quoted.some((q) => humanWords.includes(q)),
        `${lang}: ${quoted.join(' | ')}`,
      ).toBe(true);
    }
  });
});
