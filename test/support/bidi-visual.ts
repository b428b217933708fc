/**
 * What a reader sees: the Unicode Bidirectional Algorithm (UAX #9, through bidi-js, which passes the
 * Unicode conformance tests) applied to a plain-text message line by line, as Telegram and WhatsApp
 * do: each line is a paragraph whose direction comes from its first strong character. Returns each
 * line in visual order (left to right on the screen), with mirrored brackets and without the
 * invisible bidi controls.
 */
import bidiModule, { type Bidi } from 'bidi-js';

// The package is CommonJS whose module.exports is the factory; its typings describe an ES default export.
const bidiFactory = ((bidiModule as unknown as { default?: () => Bidi }).default ?? bidiModule) as unknown as () => Bidi;
const bidi = bidiFactory();
const CONTROLS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/;

export interface VisualLine {
  /** The paragraph direction the algorithm chose (first strong character). */
  dir: 'ltr' | 'rtl';
  /** The characters in screen order, left to right. */
  visual: string;
}

export function visualLines(text: string): VisualLine[] {
  return text.split('\n').map((line) => {
    const levels = bidi.getEmbeddingLevels(line);
    const chars = [...line.split('')];
    for (const [i, c] of bidi.getMirroredCharactersMap(line, levels.levels)) chars[i] = c;
    for (const [start = 0, end = -1] of bidi.getReorderSegments(line, levels)) {
      const part = chars.slice(start, end + 1).reverse();
      chars.splice(start, part.length, ...part);
    }
    // Reversed surrogate pairs (emoji) back in order.
    for (let i = 0; i + 1 < chars.length; i++) {
      if (/[\uDC00-\uDFFF]/.test(chars[i]!) && /[\uD800-\uDBFF]/.test(chars[i + 1]!)) [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
    }
    const dir = (levels.paragraphs[0]?.level ?? 0) % 2 === 1 ? 'rtl' : 'ltr';
    return { dir, visual: chars.filter((c) => !CONTROLS.test(c)).join('') };
  });
}
