/**
 * pg_trgm's `similarity()` and `word_similarity()` computed in memory, with the same results as the
 * database (contrib/pg_trgm/trgm_op.c: generate_trgm_only, make_trigrams, compact_trigram, cnt_sml,
 * calc_word_similarity, iterate_word_similarity), so retrieval answers do not change.
 *
 * Which characters make words and how they lower-case depends on the database's locale (PGlite and
 * PostgreSQL differ in how they decide it), so those two facts are asked of the database itself, one
 * character at a time, and cached: {@link CharTable}. Everything else is pg_trgm's algorithm:
 * - words are runs of word characters, lower-cased, padded with two spaces before and one after;
 * - each three consecutive characters of a padded word are one trigram: the three bytes themselves
 *   when all are single-byte, else three bytes of the legacy CRC-32 of their UTF-8 bytes;
 * - similarity = shared / (|A| + |B| − shared) over the unique trigrams, in single precision (float4).
 */

/** What the database says about one character: a word character? its lower case? */
export interface CharInfo {
  word: boolean;
  lower: string;
}

/** Asks the database about characters it has not been asked about yet (one string per character). */
export type CharLoader = (chars: string[]) => Promise<Map<string, CharInfo>>;

/**
 * The database's word characters and lower case, per character. ASCII is answered locally
 * (pg_trgm uses the C library's isalnum/tolower for single bytes: letters and digits, A–Z lowered);
 * anything else is asked once of the database and remembered.
 */
export class CharTable {
  private readonly known = new Map<number, CharInfo>();

  constructor(private readonly load: CharLoader) {}

  /** Makes sure every character of the texts is known (one query for the new ones, if any). */
  async ensure(texts: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const text of texts) {
      for (const ch of wellFormed(text)) {
        const cp = ch.codePointAt(0) ?? 0;
        if (cp >= 0x80 && !this.known.has(cp)) missing.add(ch);
      }
    }
    if (missing.size === 0) return;
    const answers = await this.load([...missing]);
    for (const ch of missing) {
      // A character the database did not answer for is treated as a separator (never happens in practice).
      this.known.set(ch.codePointAt(0) ?? 0, answers.get(ch) ?? { word: false, lower: ch });
    }
  }

  /** The information for one code point (after {@link ensure}). */
  info(cp: number): CharInfo {
    if (cp < 0x80) {
      const isUpper = cp >= 0x41 && cp <= 0x5a;
      const word = isUpper || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39);
      return { word, lower: isUpper ? String.fromCharCode(cp + 32) : String.fromCharCode(cp) };
    }
    const i = this.known.get(cp);
    if (!i) throw new Error(`trigram: character U+${cp.toString(16)} not loaded (call ensure first)`);
    return i;
  }
}

/**
 * The string as the database receives it: lone surrogates become U+FFFD (what UTF-8 encoding does).
 * NUL cannot be stored in a Postgres text; callers never send it (the SQL path would fail).
 */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const encoder = new TextEncoder();

/**
 * The ordered trigrams of a text (with repeats, in word order), each as a 24-bit number made of its
 * three bytes (first byte highest), like pg_trgm's `generate_trgm_only`.
 */
export function trigrams(text: string, chars: CharTable): number[] {
  const out: number[] = [];
  let word: string[] = [];
  const flush = () => {
    if (word.length === 0) return;
    // Lower-cased as a whole word (the case mapping may turn one character into several).
    const padded = ['  ', ...word, ' '].join('');
    addWordTrigrams(padded, out);
    word = [];
  };
  for (const ch of wellFormed(text)) {
    const info = chars.info(ch.codePointAt(0) ?? 0);
    if (info.word) word.push(info.lower);
    else flush();
  }
  flush();
  return out;
}

function addWordTrigrams(padded: string, out: number[]): void {
  const cps = Array.from(padded);
  for (let i = 0; i + 2 < cps.length; i++) {
    const a = cps[i]!;
    const b = cps[i + 1]!;
    const c = cps[i + 2]!;
    const ca = a.codePointAt(0) ?? 0;
    const cb = b.codePointAt(0) ?? 0;
    const cc = c.codePointAt(0) ?? 0;
    if (ca < 0x80 && cb < 0x80 && cc < 0x80) out.push((ca << 16) | (cb << 8) | cc);
    else {
      const crc = legacyCrc32(encoder.encode(a + b + c));
      // CPTRGM copies the CRC's first three bytes in memory (little-endian: its low three bytes).
      out.push(((crc & 0xff) << 16) | (((crc >>> 8) & 0xff) << 8) | ((crc >>> 16) & 0xff));
    }
  }
}

/** The standard CRC-32 table (pg_crc32_table in src/common/pg_crc.c). */
const CRC_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * Postgres's "legacy" CRC-32 (INIT/COMP/FIN_LEGACY_CRC32): the reflected table driven from the high
 * byte, which is not the usual CRC-32 but is what pg_trgm hashes multibyte trigrams with.
 */
export function legacyCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]! ^ (crc << 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

/** pg_trgm's CALCSML in single precision: count / (len1 + len2 − count). */
function calcSml(count: number, len1: number, len2: number): number {
  return Math.fround(count / (len1 + len2 - count));
}

/** `similarity(a, b)` from the unique trigram sets of both texts (a float4 value). */
export function similarity(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let count = 0;
  for (const t of small) if (large.has(t)) count++;
  return calcSml(count, a.size, b.size);
}

/**
 * The second text of `word_similarity(a, b)`, prepared once: its ordered trigrams as indexes into its
 * distinct trigrams.
 */
export interface Haystack {
  indexes: Int32Array;
  distinct: number[];
}

export function haystack(ordered: readonly number[]): Haystack {
  const ids = new Map<number, number>();
  const indexes = new Int32Array(ordered.length);
  ordered.forEach((t, i) => {
    let id = ids.get(t);
    if (id === undefined) ids.set(t, (id = ids.size));
    indexes[i] = id;
  });
  return { indexes, distinct: [...ids.keys()] };
}

/**
 * `word_similarity(a, b)`: the greatest similarity between the trigram set of `a` and any continuous
 * extent of `b`'s ordered trigrams — pg_trgm's iterate_word_similarity step for step (not strict,
 * no threshold shortcut), so ties and float4 rounding come out the same.
 */
export function wordSimilarity(a: ReadonlySet<number>, b: Haystack): number {
  const len2 = b.indexes.length;
  const ulen1 = a.size;
  if (ulen1 === 0 || len2 === 0) return 0;
  const found = b.distinct.map((t) => a.has(t));
  const lastpos = new Int32Array(b.distinct.length).fill(-1);
  const trg2indexes = b.indexes;
  let ulen2 = 0;
  let count = 0;
  let upper = -1;
  let lower = -1;
  let smlrMax = 0;
  for (let i = 0; i < len2; i++) {
    const trgindex = trg2indexes[i]!;
    if (lower >= 0 || found[trgindex]) {
      if (lastpos[trgindex]! < 0) {
        ulen2++;
        if (found[trgindex]) count++;
      }
      lastpos[trgindex] = i;
    }
    if (found[trgindex]) {
      upper = i;
      if (lower === -1) {
        lower = i;
        ulen2 = 1;
      }
      let smlrCur = calcSml(count, ulen1, ulen2);
      let tmpCount = count;
      let tmpUlen2 = ulen2;
      const prevLower = lower;
      for (let tmpLower = lower; tmpLower <= upper; tmpLower++) {
        const smlrTmp = calcSml(tmpCount, ulen1, tmpUlen2);
        if (smlrTmp > smlrCur) {
          smlrCur = smlrTmp;
          ulen2 = tmpUlen2;
          lower = tmpLower;
          count = tmpCount;
        }
        const tmpTrgindex = trg2indexes[tmpLower]!;
        if (lastpos[tmpTrgindex] === tmpLower) {
          tmpUlen2--;
          if (found[tmpTrgindex]) tmpCount--;
        }
      }
      smlrMax = Math.max(smlrMax, smlrCur);
      for (let tmpLower = prevLower; tmpLower < lower; tmpLower++) {
        const tmpTrgindex = trg2indexes[tmpLower]!;
        if (lastpos[tmpTrgindex] === tmpLower) lastpos[tmpTrgindex] = -1;
      }
    }
  }
  return smlrMax;
}

/**
 * A float4 as a client reads it from Postgres: the shortest decimal that reads back to the same
 * float4 (float4out with extra_float_digits = 1, the default since PostgreSQL 12), parsed as a double.
 * The SQL path handed these numbers to the ranking, so the in-memory path does the same.
 */
export function float4AsRead(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const exp10 = Math.floor(Math.log10(Math.abs(x)));
  for (let p = 1; p <= 9; p++) {
    let best: number | undefined;
    for (const e of [exp10 - p + 1, exp10 - p + 2]) {
      const c = Math.round(x / 10 ** e);
      for (const m of [c - 1, c, c + 1]) {
        const v = Number.parseFloat(`${m}e${e}`);
        if (Math.fround(v) === x && (best === undefined || Math.abs(v - x) < Math.abs(best - x))) best = v;
      }
    }
    if (best !== undefined) return best;
  }
  return x;
}
