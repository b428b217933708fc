/**
 * Entities from free text (src/knowledge/query.ts): places in every script and misspelt, places
 * outside Rome, weekdays and dates in every language, service words. The dev split's figures are
 * asserted as floors (docs/developers.en.md, "Understanding: measured figures").
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDates } from '../src/knowledge/calendar.js';
import { dataDir, loadContent } from '../src/knowledge/content.js';
import { Matcher } from '../src/knowledge/query.js';
import { skeleton, transliterate } from '../src/knowledge/transliterate.js';
import { loadCases } from '../scripts/eval/cases.js';
import entities from '../scripts/eval/entities.js';

const content = loadContent(join(dataDir, 'demo'), { now: new Date('2026-11-26T10:00:00+01:00'), timezone: 'Europe/Rome' });
const matcher = new Matcher(content);
const placeOf = (text: string) => matcher.understand(text).place?.name;

describe('places', () => {
  it.each([
    ['ترمینی کجاست؟', 'Termini'],
    ['مكان للعمل قرب تيرميني', 'Termini'],
    ['আমি টার্মিনির কাছে থাকি', 'Termini'],
    ['ኣብ ጥቓ ተርሚኒ', 'Termini'],
    ['коворкинг рядом с Термини', 'Termini'],
    ['特米尼附近有打印店吗', 'Termini'],
    ['کار نزدیک تورپینیاتارا', 'Torpignattara'],
    ['আমি তোরপিনিয়াতারায় থাকি', 'Torpignattara'],
    ['ኣብ ቶርፒኛታራ እየ ዝቕመጥ', 'Torpignattara'],
    ['живу в Торпіньяттара', 'Torpignattara'],
    ['سنتوچله', 'Centocelle'],
    ['ابحث عن مكتب في تشينتوتشيلي', 'Centocelle'],
    ['চেন্তোচেলে কোনো জায়গা?', 'Centocelle'],
    ['ቸንቶቸለ', 'Centocelle'],
    // Misspelt in Latin letters.
    ['coworking near termni', 'Termini'],
    ['vicino piazza vitorio', 'Esquilino'],
    ['abito a tor pignatara', 'Torpignattara'],
    ['desk in garbatela', 'Garbatella'],
    // Spellings nobody listed: another vowel, an ending.
    ['біля Тібуртіни', 'Tiburtina'],
    ['ኣብ ጥቓ ቲቡርቲና', 'Tiburtina'],
  ])('%s → %s', (text, place) => {
    expect(placeOf(text)).toBe(place);
  });

  it('does not take everyday words or other places for a district', () => {
    for (const text of [
      'no me pagan el salario',
      'vengo dalla Spagna',
      'devo fare una pratica in comune',
      'il termine per la domanda',
      'ho molti talenti',
      'I lived in Lima before',
      'sono di Milano',
    ]) {
      expect(placeOf(text), text).toBeUndefined();
    }
    expect(matcher.understand('I lived in Lima before').elsewhere).toBe('Peru');
    expect(matcher.understand('mi sono trasferito da Napoli').elsewhere).toBe('Napoli');
    // In context, the same words are places.
    expect(placeOf('metro Spagna')).toBe('Spagna');
    expect(placeOf('un coworking a Prati')).toBe('Prati');
  });

  it('the first place named wins', () => {
    expect(placeOf('Pigneto o Centocelle')).toBe('Pigneto');
  });

  it('transliterates Italian names the way each script writes them', () => {
    expect(transliterate('Termini', 'fa')).toBe('ترمینی');
    expect(transliterate('Termini', 'ar')).toBe('تيرميني');
    expect(transliterate('Termini', 'ti')).toBe('ተርሚኒ');
    expect(transliterate('Termini', 'ru')).toBe('термини');
    expect(transliterate('Termini', 'zh')).toBe('特米尼');
    for (const spelling of ['Termini', 'ترمینی', 'تيرميني', 'টার্মিনি', 'ተርሚኒ', 'Термини', 'termni']) expect(skeleton(spelling), spelling).toBe('trmn');
  });

  it('every Rome place has a name in each non-Latin script', () => {
    for (const g of content.gazetteer.filter((p) => p.kind !== 'elsewhere')) {
      for (const lang of ['ar', 'fa', 'ur', 'ps', 'bn', 'ti', 'ru', 'uk', 'zh']) expect(g.names[lang]?.length, `${g.name} ${lang}`).toBeGreaterThan(0);
    }
  });
});

describe('days and dates', () => {
  it.each([
    ['open on Sunday', 'sunday'],
    ['aperto domenica', 'sunday'],
    ['abierto el domingo', 'sunday'],
    ['ouvert le dimanche', 'sunday'],
    ['مفتوح يوم الأحد', 'sunday'],
    ['یکشنبه باز است؟', 'sunday'],
    ['রবিবার খোলা?', 'sunday'],
    ['в воскресенье', 'sunday'],
    ['у неділю', 'sunday'],
    ['ሰንበት', 'sunday'],
    ['axadda ma furan yihiin', 'sunday'],
    ['星期天开吗', 'sunday'],
    ['bukas ba sa linggo', 'sunday'],
    ['deschis duminică', 'sunday'],
    ['on Tuesday evening', 'tuesday'],
    ['martedì sera', 'tuesday'],
    ['سه شنبه', 'tuesday'],
    ['اتوار کو', 'sunday'],
    ['in the morning', 'morning'],
    ['di mattina', 'morning'],
    ['صبح', 'morning'],
  ])('%s → %s', (text, when) => {
    expect(matcher.understand(text).times).toContain(when);
  });

  it('"open on Sunday" is Sunday, not the weekend', () => {
    expect(matcher.understand('open on Sunday').times).toEqual(['sunday']);
    expect(matcher.understand('open at the weekend').times).toEqual(['weekend']);
  });

  it('reads dates in words and figures, in several languages', () => {
    expect(findDates('12 December')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('December 12th')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('il 12 dicembre')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('12 de diciembre')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('12 декабря')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('12 грудня')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('১২ ডিসেম্বর')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('12 دسامبر')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('12月12日')).toEqual([{ month: 12, day: 12 }]);
    expect(findDates('12/12')).toEqual([{ month: 12, day: 12 }]);
    // Not dates: a time, a lone number, a month alone.
    expect(findDates('alle 18.30')).toEqual([]);
    expect(findDates('I have 3 children')).toEqual([]);
    expect(findDates('in March')).toEqual([]);
  });
});

describe('services', () => {
  it.each([
    ['I need a printer', 'printer'],
    ['print my CV', 'printer'],
    ['devo stampare il curriculum', 'printer'],
    ['распечатать документы', 'printer'],
    ['wifi?', 'wifi'],
    ['a quiet place to study', 'quiet_room'],
    ['un posto tranquillo per studiare', 'quiet_room'],
    // Inflected and colloquial forms.
    ['нужна переговорку на пятницу', 'meeting_room'],
    ['коворкінг з кухнею', 'kitchen'],
    ['posto per lavorare in carrozzina', 'accessible'],
  ])('%s → %s', (text, service) => {
    expect(matcher.understand(text).services).toContain(service);
  });

  it('reads time and price words in more forms', () => {
    expect(matcher.understand('ce evenimente sunt diseara?').times).toContain('tonight');
    expect(matcher.understand('що цікавого цими вихідними?').times).toContain('weekend');
    expect(matcher.understand('fasal bilaash ah ma jiraa todobaadkan?').times).toContain('this_week');
    expect(matcher.understand('workspace kom dam e?').price).toBe('low');
  });

  it('the residence permit is not a residency', () => {
    expect(matcher.understand('come rinnovo il permesso di soggiorno, ho la residenza?').services).not.toContain('rural');
    expect(matcher.understand('una residenza artistica fuori Roma').services).toContain('rural');
  });
});

describe('the dev split (held out from the gazetteer and the lexicon)', () => {
  it('finds places, services and days at the measured floors', async () => {
    const report = await entities(loadCases('dev'));
    console.info(report);
    const row = (kind: string) => {
      const m = new RegExp(`^${kind}\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+%\\s+(\\d+)`, 'm').exec(report)!;
      return { labelled: Number(m[1]), found: Number(m[2]), extra: Number(m[3]) };
    };
    const place = row('place');
    expect(place.found / place.labelled).toBeGreaterThanOrEqual(0.9);
    expect(place.extra).toBeLessThanOrEqual(3);
    const services = row('services');
    expect(services.found / services.labelled).toBeGreaterThanOrEqual(0.8);
    const when = row('when');
    expect(when.found / when.labelled).toBeGreaterThanOrEqual(0.75);
  });
});
