/** Text normalization shared by command matching, language detection and search. */

const arabicFolds: Record<string, string> = {
  'ي': 'ی', 'ى': 'ی', 'ك': 'ک', 'ة': 'ه', 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ؤ': 'و', 'ئ': 'ی', 'ۀ': 'ه',
};

/**
 * Folds text for matching: NFKC, lower case, no accents or Arabic diacritics, Arabic/Persian letter
 * variants folded, punctuation and emoji removed, spaces collapsed.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed]/g, '') // combining accents, harakat
    .normalize('NFC')
    .replace(/[يىكةأإآٱؤئۀ]/g, (ch) => arabicFolds[ch] ?? ch)
    .replace(/\u0640/g, '') // tatweel
    .replace(/[\p{P}\p{S}\u200c\u200d\u2066-\u2069]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of a text, segmented per script (Chinese has no spaces). */
export function words(text: string, locale?: string): string[] {
  const seg = new Intl.Segmenter(locale, { granularity: 'word' });
  return [...seg.segment(normalizeForMatch(text))].filter((s) => s.isWordLike).map((s) => s.segment);
}
