import { describe, expect, it } from 'vitest';
import { fallbackNote, pickTranslation } from '../../src/i18n/content.js';
import { formatterFor, isolateLatinRuns, walkingMinutes } from '../../src/i18n/format.js';
import { Translator } from '../../src/i18n/i18n.js';
import { contentChain, languageCodes } from '../../src/i18n/languages.js';

const FSI = '\u2068';
const PDI = '\u2069';
const translator = await Translator.create();

describe('locale formatting', () => {
  // 17:30 UTC is 18:30 in Rome (CET) on 27 November 2026.
  const at = new Date('2026-11-27T17:30:00Z');
  const now = new Date('2026-11-20T09:00:00Z');

  it('writes times in the configured time zone, Europe/Rome by default', () => {
    expect(formatterFor('it').time(at)).toBe('18:30');
    expect(formatterFor('it', 'Europe/London').time(at)).toBe('17:30');
    // The 24-hour clock in every language, as timetables in Rome are written.
    expect(formatterFor('en').time(at)).toBe('18:30');
    expect(formatterFor('ar').time(at)).toBe('18:30');
    // Summer time: 10:00 UTC in July is 12:00 in Rome.
    expect(formatterFor('it').time(new Date('2026-07-01T10:00:00Z'))).toBe('12:00');
  });

  it('writes dates, weekdays and ranges the way each language does, always Gregorian', () => {
    expect(formatterFor('it').date(at, now)).toBe('venerdì 27 novembre');
    expect(formatterFor('it').date(at, new Date('2025-12-01T00:00:00Z'))).toBe('venerdì 27 novembre 2026');
    expect(formatterFor('fr').weekday(at)).toBe('vendredi');
    expect(formatterFor('uk').weekday(at)).toBe('пʼятниця');
    expect(formatterFor('zh').date(at, now)).toBe('11月27日星期五');
    // Persian and Pashto would default to the Solar Hijri calendar (6 آذر, لیندۍ); events are in Rome.
    // Persian uses the Gregorian month names Afghans (Dari) write; Pashto the weekdays spoken in Afghanistan.
    expect(formatterFor('fa').date(at, now)).toBe('جمعه 27 نومبر');
    expect(formatterFor('ps').date(at, now)).toBe('جمعه، 27 نومبر');
    expect(formatterFor('ps').date(at, new Date('2025-01-01T00:00:00Z'))).toContain('2026');
    expect(formatterFor('ps').weekday(new Date('2026-11-28T12:00:00Z'))).toBe('شنبه');
    expect(formatterFor('it').timeRange(at, new Date('2026-11-27T19:00:00Z'))).toBe('18:30–20:00');
    expect(formatterFor('en').dateTime(at, now)).toBe('Friday 27 November, 18:30');
    expect(formatterFor('ar').dateTime(at, now)).toBe('الجمعة، 27 نوفمبر، 18:30');
    // Full day and month names where abbreviations would be unclear.
    expect(formatterFor('so').dateTime(at, now)).toBe('Jimco, Noofeembar 27, 18:30');
    expect(formatterFor('ti').dateTime(at, now)).toBe('ዓርቢ፣ 27 ሕዳር፣ 18:30');
    const solarHijri = /آذر|آبان|لیندۍ|لړم|قوس|عقرب/;
    for (const lang of languageCodes) {
      const s = formatterFor(lang).dateTime(at, now);
      expect(s, lang).not.toMatch(solarHijri);
      // One numeral system: ASCII digits only.
      expect(s.replace(/[^\p{Nd}]/gu, ''), lang).toMatch(/^[0-9]+$/);
      expect(s, lang).toContain('27');
    }
  });

  it('writes numbers and distances with ASCII digits and the locale’s units', () => {
    expect(formatterFor('it').distance(1530)).toBe('1,5 km');
    expect(formatterFor('en').distance(349)).toBe('350 m');
    expect(formatterFor('en').distance(20)).toBe('50 m');
    expect(formatterFor('en').distance(990)).toBe('1 km');
    expect(formatterFor('fa').distance(1500)).toBe('1.5 کیلومتر');
    expect(formatterFor('fa').distance(350)).toBe('350 متر');
    expect(formatterFor('ps').distance(1200)).toBe('1.2 کیلومتره');
    expect(formatterFor('bn').number(12)).toBe('12');
    expect(walkingMinutes(400)).toBe(5);
    expect(walkingMinutes(10)).toBe(1);
  });

  it('joins lists with each language’s own words and separators', () => {
    expect(formatterFor('en').list(['Wi-Fi', 'kitchen', 'printer'])).toBe('Wi-Fi, kitchen and printer');
    expect(formatterFor('ar').list(['واي فاي', 'مطبخ', 'طابعة'])).toBe('واي فاي ومطبخ وطابعة');
    expect(formatterFor('zh').list(['无线网络', '厨房', '打印机'])).toBe('无线网络、厨房和打印机');
    expect(formatterFor('it').orList(['Garbatella', 'Termini'])).toBe('Garbatella o Termini');
    // Items that hold commas are kept apart by semicolons.
    expect(formatterFor('en').list(['Courses, workshops', 'Jobs, opportunities'])).toBe('Courses, workshops; Jobs, opportunities');
    expect(formatterFor('ar').list(['دورات، ورش عمل', 'عمل، فرص'])).toBe('دورات، ورش عمل؛ عمل، فرص');
  });

  it('gives each language its plural form of the walking time', () => {
    const t = (lang: string) => translator.for(lang);
    expect(t('en')('core:walkMinutes', { count: 1 })).toBe('1 minute on foot');
    expect(t('ru')('core:walkMinutes', { count: 3 })).toBe('3 минуты пешком');
    expect(t('ru')('core:walkMinutes', { count: 5 })).toBe('5 минут пешком');
    expect(t('uk')('core:walkMinutes', { count: 21 })).toBe('21 хвилина пішки');
    expect(t('ar')('core:walkMinutes', { count: 2 })).toBe('دقيقتان سيرًا على الأقدام');
    expect(t('ar')('core:walkMinutes', { count: 4 })).toBe('4 دقائق سيرًا على الأقدام');
    expect(t('ar')('core:walkMinutes', { count: 11 })).toBe('11 دقيقة سيرًا على الأقدام');
    expect(t('ro')('core:walkMinutes', { count: 20 })).toBe('20 de minute pe jos');
  });
});

describe('right-to-left text', () => {
  it('isolates Latin names, addresses, phone numbers and URLs in Arabic, Persian, Pashto and Urdu', () => {
    const text = 'العنوان: Via Appia Nuova 12، الهاتف +39 06 1234 5678، الموقع https://example.org/a?b=1.';
    expect(isolateLatinRuns(text, 'ar')).toBe(`العنوان: ${FSI}Via Appia Nuova 12${PDI}، الهاتف ${FSI}+39 06 1234 5678${PDI}، الموقع ${FSI}https://example.org/a?b=1${PDI}.`);
    expect(isolateLatinRuns('ساعت 18:30 در Millepiani', 'fa')).toBe(`ساعت ${FSI}18:30${PDI} در ${FSI}Millepiani${PDI}`);
    for (const lang of ['ps', 'ur']) expect(isolateLatinRuns('Termini', lang)).toBe(`${FSI}Termini${PDI}`);
  });

  it('leaves left-to-right languages and already isolated text alone', () => {
    expect(isolateLatinRuns('Via Appia 12', 'it')).toBe('Via Appia 12');
    const once = isolateLatinRuns('في Termini', 'ar');
    expect(isolateLatinRuns(once, 'ar')).toBe(once);
  });

  it('leaves interpolated values to the renderer (bidi at one place)', () => {
    expect(translator.for('ar')('core:fallbackNote', { language: 'Tagalog' })).toBe('هذا النص باللغة Tagalog.');
    expect(translator.for('fa')('core:fallbackNote', { language: 'انگلیسی' })).toBe('این متن به زبان انگلیسی است.');
    expect(translator.for('it')('core:fallbackNote', { language: 'Tagalog' })).toBe('Questo testo è in Tagalog.');
  });
});

describe('content fallback', () => {
  const fields = { it: 'Aperto a tutti', en: 'Open to everyone', ru: 'Открыто для всех', fa: undefined, ar: '  ' };

  it('uses the reader’s language when present', () => {
    expect(pickTranslation(fields, 'it')).toEqual({ text: 'Aperto a tutti', lang: 'it', fallback: false });
  });

  it('follows the fallback chain: never Russian for Ukrainian; blank fields count as missing', () => {
    expect(contentChain('uk')).not.toContain('ru');
    expect(pickTranslation(fields, 'uk')).toEqual({ text: 'Open to everyone', lang: 'en', fallback: true });
    expect(pickTranslation(fields, 'fa')).toEqual({ text: 'Open to everyone', lang: 'en', fallback: true });
    expect(pickTranslation(fields, 'ar')).toEqual({ text: 'Open to everyone', lang: 'en', fallback: true });
    expect(pickTranslation({ it: 'Solo italiano' }, 'ti')).toEqual({ text: 'Solo italiano', lang: 'it', fallback: true });
    expect(pickTranslation({ ru: 'Только по-русски' }, 'uk')).toEqual({ text: 'Только по-русски', lang: 'ru', fallback: true });
    expect(pickTranslation({ en: '' }, 'en')).toBeUndefined();
  });

  it('says briefly, in the reader’s language, which language the text is in', () => {
    const picked = pickTranslation(fields, 'fa')!;
    expect(fallbackNote(translator.for('fa'), 'fa', picked)).toBe('این متن به زبان انگلیسی است.');
    expect(fallbackNote(translator.for('uk'), 'uk', pickTranslation(fields, 'uk')!)).toBe('Мова цього тексту: англійська.');
    expect(fallbackNote(translator.for('it'), 'it', pickTranslation(fields, 'it')!)).toBeUndefined();
  });
});
