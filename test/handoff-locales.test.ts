import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { languageCodes } from '../src/i18n/languages.js';
import { safetyTerms } from '../src/handoff/safety.js';

type Tree = { [k: string]: string | Tree };
const flat = (t: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flat(v, `${prefix}${k}.`)))));
const load = (lang: string) => flat(JSON.parse(readFileSync(`locales/${lang}/handoff.json`, 'utf8')) as Tree);

describe('handoff locales', () => {
  const en = load('en');
  it.each(languageCodes)('%s has every key, the same placeholders and the emergency numbers', (lang) => {
    const strings = load(lang);
    expect(Object.keys(strings).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(strings)) {
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      expect((text.match(/{{\w+}}/g) ?? []).sort(), `${lang} ${key}`).toEqual((en[key]!.match(/{{\w+}}/g) ?? []).sort());
      if (lang !== 'en' && lang !== 'tl' && key !== 'safety.numbers') expect(text, `${lang} ${key} is translated`).not.toBe(en[key]);
    }
    for (const n of ['112', '1522', '800 290 290', '19696']) expect(strings['safety.numbers']).toContain(n);
  });
  it('has safety words for every language and category', () => {
    for (const lang of languageCodes) {
      expect(Object.keys(safetyTerms[lang] ?? {}).sort(), lang).toEqual(['documents', 'exploitation', 'medical', 'selfharm', 'threats', 'unpaid', 'violence']);
    }
  });
});
