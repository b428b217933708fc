/**
 * Knowledge gaps are stored redacted: a self-introduction's name in each of the 16 languages (as far
 * as a fixed phrase allows), phone numbers, emails and document codes never reach `knowledge_gaps`.
 */
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/core/text.js';
import { redactQuestion } from '../../src/insights/redact.js';

const introductions: [lang: string, text: string, name: string][] = [
  ['en', 'My name is Mario Rossi, where can I find a quiet desk?', 'Mario Rossi'],
  ['it', 'Mi chiamo Mario Rossi e cerco un corso di italiano', 'Mario Rossi'],
  ['fr', "Je m'appelle Mario Rossi, où trouver un bureau ?", 'Mario Rossi'],
  ['es', 'Me llamo Lucía Gómez y busco un espacio', 'Lucía Gómez'],
  ['ro', 'Mă numesc Ioana Popescu, unde găsesc un birou?', 'Ioana Popescu'],
  ['ru', 'Меня зовут Мария Иванова, где найти стол?', 'Мария Иванова'],
  ['uk', 'Мене звати Олена Коваль, де знайти курси?', 'Олена Коваль'],
  ['tl', 'Ako si Maria Santos, saan may mesa?', 'Maria Santos'],
  ['so', 'Magacaygu waa Faadumo Cali, xagee laga helaa miis?', 'Faadumo Cali'],
  ['ar', 'اسمي أحمد علي، أين أجد مكتبا؟', 'أحمد علي'],
  ['fa', 'اسم من مریم احمدی است، کجا میز پیدا کنم؟', 'مریم احمدی'],
  ['ps', 'زما نوم احمد شاه دی، میز چیرته دی؟', 'احمد شاه'],
  ['ur', 'میرا نام عائشہ خان ہے، میز کہاں ملے گی؟', 'عائشہ خان'],
  ['bn', 'আমার নাম রহিম উদ্দিন, ডেস্ক কোথায় পাব?', 'রহিম উদ্দিন'],
  ['zh', '我叫王伟，想找一个工位', '王伟'],
  ['ti', 'ስመይ ሳባ ተስፋይ እዩ፣ ጠረጴዛ ኣበይ ይርከብ?', 'ሳባ ተስፋይ'],
];

describe('redactQuestion (what knowledge_gaps stores)', () => {
  it.each(introductions)('replaces the name of a self-introduction (%s)', (_lang, text, name) => {
    const stored = redactQuestion(text);
    expect(stored).toContain('[name]');
    for (const word of normalizeForMatch(name).split(' ')) expect(stored).not.toContain(word);
  });

  it('keeps the question, replaces contact data and document codes, drops long digit runs', () => {
    expect(redactQuestion('My name is Mario Rossi and I need a desk near Termini')).toBe('my name is [name] and i need a desk near termini');
    expect(redactQuestion('How do I renew my permit YA1234567? Call +39 333 123 4567 or anna.rossi@example.com, file 00185 ok')).toBe(
      'how do i renew my permit [document] call [phone] or [email] file ok',
    );
    expect(redactQuestion('Where is Porta Pia?')).toBe('where is porta pia');
  });
});
