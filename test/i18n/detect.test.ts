import { describe, expect, it } from 'vitest';
import { CONFIDENT, detectLanguage } from '../../src/i18n/detect.js';
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

  it('tells the script first: Ge’ez, Bengali and Han are certain', () => {
    expect(detectLanguage('ሰላም ከመይ ኣለኻ')?.lang).toBe('ti');
    expect(detectLanguage('আমি কাজ খুঁজছি')?.lang).toBe('bn');
    expect(detectLanguage('我在找工作的地方')?.lang).toBe('zh');
  });
});
