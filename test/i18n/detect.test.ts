import { describe, expect, it } from 'vitest';
import { CONFIDENT, detectLanguage, languageEvidence } from '../../src/i18n/detect.js';
import { languageCodes } from '../../src/i18n/languages.js';
import cases from './detect-cases.json' with { type: 'json' };
import holdout from './detect-holdout.json' with { type: 'json' };

const all = cases as Record<string, string[]>;

describe('language detection', () => {
  it('has at least 10 realistic sentences for each of the 16 languages', () => {
    expect(Object.keys(all).sort()).toEqual([...languageCodes].sort());
    for (const lang of languageCodes) expect(all[lang]!.length, lang).toBeGreaterThanOrEqual(10);
  });

  it('tells the language of the test sentences (accuracy reported in docs/developers.en.md)', () => {
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    const perLanguage: Record<string, number> = {};
    for (const [lang, sentences] of Object.entries(all)) {
      perLanguage[lang] = 0;
      for (const s of sentences) {
        total++;
        const d = detectLanguage(s);
        if (d?.lang === lang) {
          right++;
          perLanguage[lang]++;
        } else wrong.push(`${lang} → ${d?.lang ?? 'none'}: ${s}`);
      }
    }
    const accuracy = right / total;
    console.info(`detection: ${right}/${total} = ${(accuracy * 100).toFixed(1)}%${wrong.length ? `; wrong: ${wrong.join(' | ')}` : ''}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    // Languages told by script or letters must be all right.
    for (const lang of ['ar', 'fa', 'ps', 'ur', 'bn', 'uk', 'ru', 'ti', 'zh']) expect(perLanguage[lang], lang).toBe(all[lang]!.length);
    for (const lang of languageCodes) expect(perLanguage[lang]! / all[lang]!.length, lang).toBeGreaterThanOrEqual(0.8);
  });

  it('tells the language of held-out sentences that no rule was tuned on', () => {
    const entries = Object.entries(holdout as Record<string, string[]>);
    expect(entries.map(([l]) => l).sort()).toEqual([...languageCodes].sort());
    const results = entries.flatMap(([lang, sentences]) => sentences.map((s) => detectLanguage(s)?.lang === lang));
    const right = results.filter(Boolean).length;
    console.info(`detection, held out: ${right}/${results.length} = ${((right / results.length) * 100).toFixed(1)}%`);
    expect(right / results.length).toBeGreaterThanOrEqual(0.9);
  });

  it('is confident on a full sentence, so writing in another language can switch', () => {
    for (const [lang, text] of [
      ['uk', 'Я шукаю тихе місце, щоб навчатися'],
      ['ar', 'أبحث عن مكان هادئ للدراسة في روما'],
      ['fr', 'Je cherche un endroit calme pour étudier à Rome'],
    ] as const) {
      const d = detectLanguage(text);
      expect(d?.lang).toBe(lang);
      expect(d!.confidence).toBeGreaterThanOrEqual(CONFIDENT);
    }
  });

  it('is never confident on short messages, so they never flip the language', () => {
    for (const text of ['ok', 'hi', '👍', 'grazie', 'thanks', 'merci', 'да', 'спасибо', 'дякую', 'شكرا', 'مرسی', 'hola', 'si', 'okay!!', '谢谢', '...', '12:30', 'Termini']) {
      const d = detectLanguage(text);
      expect(d === undefined || d.confidence < CONFIDENT, `${text} → ${JSON.stringify(d)}`).toBe(true);
    }
  });

  it('gives a low-confidence first guess for a greeting (used only for someone new)', () => {
    expect(detectLanguage('hello')).toEqual({ lang: 'en', confidence: 0.5 });
    expect(detectLanguage('Ciao!')).toEqual({ lang: 'it', confidence: 0.5 });
    expect(detectLanguage('Kumusta')).toEqual({ lang: 'tl', confidence: 0.5 });
    expect(detectLanguage('привіт')?.lang).toBe('uk');
    expect(detectLanguage('допомога')?.lang).toBe('uk');
    expect(detectLanguage('помощь')?.lang).toBe('ru');
    expect(detectLanguage('مرحبا')?.lang).toBe('ar');
  });

  it('reads Pashto and Ukrainian typed in Latin letters by their everyday words', () => {
    expect(detectLanguage('za ghwaram che rata telefon wokai, zaroorat lram')?.lang).toBe('ps');
    expect(detectLanguage('vse nabrydlo, ne bachu sensu dali')?.lang).toBe('uk');
    expect(detectLanguage('ye khtos tut? khochetsia pohovoryty')?.lang).toBe('uk');
  });

  // Arabic typed in Latin letters (Arabizi), as people write it: several dialects, no punctuation,
  // typos, French or Italian words in between. cld3 and franc cannot name it (franc read
  // "salam, chno howa coworking?" as Tagalog), so its words, digits and spellings have to.
  it('reads Arabizi as Arabic, in its dialects and spellings', () => {
    const texts = [
      'salam, chno howa coworking?', // the reported message (Moroccan)
      'slm khoya wach kayn chi blasa fin nkhdem b laptop dyali',
      'bghit nseksi 3la had coworking wach b flous wla blach',
      'kifach ndir bach nqra f roma daba',
      'salam alikoum chnou hiya l adresse dyal lblasa svp', // with French words
      'mafhemtch mzyan chno howa, 3afak 3awed', // negation ma…ch
      'wesh rak khouya kayen coworking gratuit vicino a termini', // Algerian, with Italian words
      'chnowa l coworking w famma wifi barcha', // Tunisian
      'ezayak, ana 3ayez a3raf el coworking da eh', // Egyptian
      'keefak, shu ya3ni coworking w wen fi wa7ed', // Levantine
      'shlonak, abi makan ashtaghel fih', // Gulf / Iraqi
      'salm chnuu howa lcoworking mziyan', // typos: chnuu, mziyan, the article glued on
    ];
    const wrong = texts.map((t) => [t, languageEvidence(t).candidates[0]?.lang]).filter(([, lang]) => lang !== 'ar');
    expect(wrong).toEqual([]);
  });

  it('leaves Tagalog and the other languages to themselves (guards for the Arabizi words)', () => {
    const cases = [
      ['kumusta po, ano ang coworking?', 'tl'],
      ['salamat po', 'tl'],
      ['nasa labas po ako ng opisina, saan po yung coworking', 'tl'],
      ['Waan fahmay, mahadsanid. Halkee ku yaal coworking-ka?', 'so'],
      ['salam, waa maxay coworking', 'so'],
      ['ciao, cosa è il coworking?', 'it'],
      ['salut, c’est quoi le coworking ? c’est ouvert la fin de semaine ?', 'fr'],
      ['hola, ¿está abierto el fin de semana?', 'es'],
      ['I wish there was a quiet coworking near Termini', 'en'],
      ['salam, coworking kya hai? mujhe batao', 'ur'],
      ['salam, coworking chi hast? mikham bedoonam', 'fa'],
    ];
    const wrong = cases.map(([t, lang]) => [t, lang, detectLanguage(t!)?.lang]).filter(([, lang, got]) => got !== lang);
    expect(wrong).toEqual([]);
  });

  it('tells the script first: Ge’ez, Bengali and Han are certain', () => {
    expect(detectLanguage('ሰላም ከመይ ኣለኻ')?.lang).toBe('ti');
    expect(detectLanguage('আমি কাজ খুঁজছি')?.lang).toBe('bn');
    expect(detectLanguage('我在找工作的地方')?.lang).toBe('zh');
  });
});
