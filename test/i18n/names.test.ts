import { describe, expect, it } from 'vitest';
import { languageCodes } from '../../src/i18n/languages.js';
import { languageAliases, languageName, languageNames, requestedLanguage } from '../../src/i18n/names.js';
import { normalizeForMatch } from '../../src/core/text.js';

describe('language names', () => {
  it('name every language in every language', () => {
    expect(Object.keys(languageNames).sort()).toEqual([...languageCodes].sort());
    for (const reader of languageCodes) {
      expect(Object.keys(languageNames[reader]!).sort(), reader).toEqual([...languageCodes].sort());
      for (const code of languageCodes) expect(languageName(code, reader).length, `${code} in ${reader}`).toBeGreaterThan(1);
    }
    expect(languageName('en', 'fa')).toBe('انگلیسی');
    expect(languageName('uk', 'it')).toBe('ucraino');
  });

  it('recognise every name in the table as a request for that language', () => {
    for (const reader of languageCodes) {
      for (const code of languageCodes) {
        const name = languageName(code, reader);
        expect(requestedLanguage(name), `${code} written in ${reader}: ${name}`).toBe(code);
      }
    }
    expect(languageAliases().get(normalizeForMatch('Українська'))).toBe('uk');
  });

  it.each([
    ['English please', 'en'],
    ['english pls', 'en'],
    ['in italiano', 'it'],
    ['Italiano per favore', 'it'],
    ['en français', 'fr'],
    ['Français svp', 'fr'],
    ['Español por favor', 'es'],
    ['بالعربية', 'ar'],
    ['عربي', 'ar'],
    ['العربية من فضلك', 'ar'],
    ['بالفارسی', 'fa'],
    ['به فارسی لطفا', 'fa'],
    ['farsi', 'fa'],
    ['Dari', 'fa'],
    ['دری', 'fa'],
    ['په پښتو', 'ps'],
    ['pashto', 'ps'],
    ['اردو میں', 'ur'],
    ['urdu please', 'ur'],
    ['বাংলায়', 'bn'],
    ['bangla', 'bn'],
    ['українською', 'uk'],
    ['українською, будь ласка', 'uk'],
    ['по-русски', 'ru'],
    ['на русском', 'ru'],
    ['russkiy', 'ru'],
    ['по-английски', 'en'],
    ['англійською', 'en'],
    ['ብትግርኛ', 'ti'],
    ['tigrinya', 'ti'],
    ['Af Soomaali', 'so'],
    ['Soomaali fadlan', 'so'],
    ['中文', 'zh'],
    ['请说中文', 'zh'],
    ['英文', 'en'],
    ['用英语吧', 'en'],
    ['Tagalog po', 'tl'],
    ['sa Tagalog', 'tl'],
    ['în română', 'ro'],
    ['romana va rog', 'ro'],
    ['do you speak arabic?', 'ar'],
    ['parla inglese', 'en'],
    ['Italian', 'it'],
    ['inglese', 'en'],
  ])('%s → %s', (text, code) => {
    expect(requestedLanguage(text)).toBe(code);
  });

  it.each(['ok', 'hi', '👍', 'grazie', 'I want to find a coworking space near Termini', 'my friend speaks English and Arabic', 'lingua', 'language', 'زبان', ''])(
    'does not take %j for a language request',
    (text) => {
      expect(requestedLanguage(text)).toBeUndefined();
    },
  );
});
