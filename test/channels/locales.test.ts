import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../../src/channels/channel.js';
import { LIMITS } from '../../src/channels/whatsapp/encode.js';
import { CALLBACK_DATA_BYTES } from '../../src/channels/telegram/telegram-adapter.js';
import { languageCodes } from '../../src/i18n/languages.js';

type Words = { list: { button: string; more: string; moreDescription: string; nextPage: string }; voice: { understood: string }; caption: { note: string } };
const read = (lang: string) => JSON.parse(readFileSync(new URL(`../../locales/${lang}/channels.json`, import.meta.url), 'utf8')) as Words;

describe('channels namespace and capabilities', () => {
  it('has the list words in all 16 languages, within WhatsApp’s limits', () => {
    expect(languageCodes).toHaveLength(16);
    for (const lang of languageCodes) {
      const t = read(lang);
      expect(Object.keys(t), lang).toEqual(['list', 'voice', 'caption']);
      expect(t.voice.understood, lang).toContain('{{text}}');
      expect(t.caption.note.length, lang).toBeGreaterThan(20);
      if (lang !== 'en') expect(t.caption.note, lang).not.toBe(read('en').caption.note);
      expect(Object.keys(t.list).sort(), lang).toEqual(['button', 'more', 'moreDescription', 'nextPage']);
      expect(t.list.button.length, lang).toBeGreaterThan(0);
      expect(t.list.button.length, lang).toBeLessThanOrEqual(LIMITS.listButton);
      expect(t.list.more.length, lang).toBeLessThanOrEqual(LIMITS.rowTitle);
      expect(t.list.moreDescription.length, lang).toBeLessThanOrEqual(LIMITS.rowDescription);
    }
    expect(read('uk').list.button).not.toBe(read('ru').list.button);
  });

  it('declares capabilities that match the encoders’ real limits (used by simulate)', () => {
    expect(capabilitiesOf.telegram).toMatchObject({ maxTextLength: 4096, maxChoiceIdBytes: CALLBACK_DATA_BYTES });
    expect(capabilitiesOf.whatsapp).toMatchObject({ maxTextLength: LIMITS.text, maxButtons: 30, maxButtonLabel: LIMITS.rowTitle, maxChoiceIdBytes: 200 });
  });
});
