/**
 * Redaction of the free text of knowledge gaps before a coordinator sees it (or before it is sent to
 * an LLM for translation). What is replaced:
 * - email addresses → `[email]`;
 * - document-like codes: a run of 6+ letters and digits with at least 2 digits (passport, permit,
 *   fiscal code, IBAN-like) → `[document]`;
 * - phone numbers: a run of at least 7 digits, possibly with spaces, dots, dashes, brackets or a
 *   leading + (any script's digits) → `[phone]`;
 * - names: the word(s) after a self-introduction ("my name is …", "mi chiamo …", "je m'appelle …",
 *   "меня зовут …", "اسمي …" and others) and any name in `knownNames` → `[name]`.
 * Capitalised words are NOT treated as names: gap texts are normalised (often lower case) and
 * capitalised sequences are mostly places ("Porta Pia", "Tor Bella Monaca") that the question needs.
 * {@link redactQuestion} applies the same before a question is stored as a gap, so the stored text
 * holds no name it recognises either; what it cannot recognise is deleted with the person (the gap's
 * asks are linked to them, see `eraseKnowledgeGaps`).
 */
import { normalizeForMatch } from '../core/text.js';

const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const documentCode = /(?<![\p{L}\p{N}])(?=(?:[\p{L}]*\p{Nd}){2})(?=[\p{N}]*\p{L})[\p{L}\p{N}]{6,}(?![\p{L}\p{N}])/gu;
const phone = /(?<![\p{L}\p{N}])\+?\(?\p{Nd}[\p{Nd}\s().\/-]{5,}\p{Nd}(?![\p{L}\p{N}])/gu;

/** Phrases that introduce the speaker's name, followed by the name (one or two words). */
const intro = new RegExp(
  // One alternation per language as far as a fixed phrase allows (en, it, fr, es, ro, ru, uk, tl, so,
  // ar, fa, ps, ur, bn, zh, ti); the name is the one or two words after it.
  String.raw`((?:my name is|my name's|my name’s|i am called|i'm called|i’m called|mi chiamo|il mio nome è|il mio nome e|mi chiamano|je m'appelle|je m’appelle|je m appelle|mon nom est|me llamo|mi nombre es|mă numesc|ma numesc|mă cheamă|ma cheama|numele meu este|numele meu e|меня зовут|моё имя|мое имя|мене звати|мене звуть|моє ім'я|моє ім’я|ang pangalan ko ay|pangalan ko ay|ako si|magacaygu waa|magacayga waa|magacaygu|اسمي|اسمى|إسمي|انا اسمي|اسم من|اسمم|نام من|زما نوم|میرا نام|আমার নাম|我叫|我的名字是|我的名字叫|我名叫|ስመይ|ሽመይ)\s*)([\p{L}\p{M}'’-]+(?:\s+[\p{L}\p{M}'’-]+)?)`,
  'giu',
);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces personal data in a gap text; see the module comment for what is replaced. */
export function redact(text: string, knownNames: readonly string[] = []): string {
  let out = text.replace(email, '[email]');
  out = out.replace(documentCode, '[document]');
  out = out.replace(phone, (m) => ((m.match(/\p{Nd}/gu) ?? []).length >= 7 ? '[phone]' : m));
  out = out.replace(intro, (_m, lead: string, name: string) => {
    // Keep a following question word when the "name" grabbed two words ("mi chiamo ali dove…").
    const words = name.split(/\s+/);
    return `${lead}[name]${words.length > 1 && /^(and|e|et|y|where|dove|où|donde|how|come|what|cosa|i|io)$/i.test(words[1]!) ? ` ${words[1]}` : ''}`;
  });
  for (const n of knownNames) {
    if (n.trim().length < 2) continue;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(n.trim())}(?![\\p{L}\\p{N}])`, 'giu'), '[name]');
  }
  return out;
}

const PLACEHOLDER = /(\[(?:name|email|phone|document)\])/;

/**
 * A question as it is stored in `knowledge_gaps`: personal data replaced ({@link redact}), runs of 5+
 * digits dropped, the rest normalized for matching (lower case, no punctuation), at most 300
 * characters. The placeholders survive normalization: `my name is [name] where can i …`.
 */
export function redactQuestion(text: string): string {
  return redact(text)
    .split(PLACEHOLDER)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : normalizeForMatch(part)
            .replace(/\p{Nd}{5,}/gu, ' ')
            .trim(),
    )
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 300)
    .trim();
}
