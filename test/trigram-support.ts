/**
 * The trigram equivalence checks (src/storage/trigram.ts against the database's pg_trgm), shared by
 * test/knowledge-trigram.test.ts (a fixed sample, every run) and `npm run bench -- trigram` (every
 * retrieval question, as the test did before, with its figures).
 */
import { readFileSync } from 'node:fs';
import { normalizeForMatch } from '../src/core/text.js';
import type { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { queryTerms } from '../src/knowledge/search-text.js';
import { float4AsRead, haystack, similarity, trigrams, wordSimilarity } from '../src/storage/trigram.js';
import type { Db } from '../src/storage/db.js';
import type { DocScore } from '../src/storage/knowledge-store.js';

export const questions = readFileSync('test/retrieval/questions.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { lang: string; q: string });

/** Deterministic pseudo-random strings over many scripts, separators and odd characters. */
export function randomStrings(n: number): string[] {
  const pool = [
    ...'abcxyzABCXYZ0123456789',
    ' ',
    ' ',
    '  ',
    '-',
    '_',
    "'",
    '.',
    ',',
    '?',
    '!',
    '\t',
    '\n',
    ...'éèàüößÆøÅçñİıŞğ',
    ...'абвгдЖЩЁїєґ',
    ...'αβγΣσς',
    ...'مرحبابكفيروما٠١٢٣۴۵',
    ...'سلامخوشآمدید',
    ...'你好世界工作空间免费',
    ...'ሰላምኣለኹምቦታ',
    ...'নমস্কারবন্ধুকাজ',
    ...'ہےکیاں',
    ...'ａｂｃ１２３',
    '😀',
    '🇮🇹',
    '👩‍💻',
    '\u200d',
    '\u0301',
    '\u00a0',
    '\u3000',
    '·',
    '°',
    '€',
  ];
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => {
    const len = Math.floor(rnd() * 40);
    return Array.from({ length: len }, () => pool[Math.floor(rnd() * pool.length)]!).join('');
  });
}

export const edgeStrings = [
  '',
  ' ',
  'a',
  'ab',
  'abc',
  'A',
  '😀',
  '😀😀 🇮🇹',
  '!!! ??? ...',
  '___',
  "l'ora",
  'co-working',
  'Hub_Roma',
  'naïve café',
  'NAÏVE CAFÉ',
  'ΟΔΟΣ ΣΟΦΟΣ',
  'İSTANBUL ıi',
  'ß ẞ Straße',
  'ǅemal ǆ',
  'ＡＢＣ １２３',
  'e\u0301te\u0301',
  '١٢٣ ۴۵۶ 123',
  'مرحبا 你好 ሰላም নমস্কার привет hello',
  'coworking\tgratis\nroma',
  '\u00a0gratis\u3000roma',
  'x'.repeat(300),
  'coworking gratuito vicino a termini '.repeat(40),
  '工作'.repeat(200),
  'አ'.repeat(100),
  'a\uD800b \uDC00x',
  'Millepiani',
  'millepiani coworking',
  'Impact Hub Roma',
  'where is millepiani?',
  '🙂 millepiani 🙂',
];

export const TRI_KINDS = `kind IN ('name', 'paraphrase', 'title')`;

/** The search as it was in SQL before the trigram part moved to memory (the reference). */
export async function sqlSearch(db: Db, terms: { word: string; prefix: boolean; weight?: number }[], question: string, lang: string, limit: number): Promise<DocScore[]> {
  const lexeme = (tok: string) => `'${tok.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const byQuery = new Map<string, number>();
  for (const t of terms) if (t.word.length > 0) byQuery.set(`${lexeme(t.word)}${t.prefix ? ':*' : ''}`, t.weight ?? 1);
  const rows = await db.query<{ ref: string; score: number | null; similarity: number | null }>(
    `WITH q AS (SELECT tok, w FROM unnest($1::text[], $4::float8[]) AS t(tok, w)),
     total AS (SELECT count(DISTINCT ref)::float8 AS n FROM knowledge_docs),
     m AS (SELECT d.id, d.ref, d.kind, d.lang, length(d.tokens) AS len, q.tok, q.w FROM knowledge_docs d JOIN q ON d.tokens @@ q.tok::tsquery),
     df AS (SELECT tok, count(DISTINCT ref)::float8 AS n FROM m GROUP BY tok),
     per_row AS (
       SELECT m.ref, m.kind, sum(m.w * ln((total.n + 1) / (df.n + 0.5)))
         * CASE WHEN m.lang = $3 OR m.lang = 'any' THEN 1 ELSE 0.6 END
         / power(greatest(m.len, 20) / 20.0, 0.5) AS s
       FROM m JOIN df USING (tok) CROSS JOIN total GROUP BY m.id, m.ref, m.kind, m.lang, m.len),
     weighted AS (
       SELECT ref, s * CASE kind WHEN 'text' THEN 0.7 WHEN 'description' THEN 0.5 ELSE 1 END AS s,
              row_number() OVER (PARTITION BY ref ORDER BY s * CASE kind WHEN 'text' THEN 0.7 WHEN 'description' THEN 0.5 ELSE 1 END DESC) AS rank
       FROM per_row),
     fts AS (SELECT ref, sum(CASE WHEN rank = 1 THEN s ELSE s * 0.5 END) AS score FROM weighted WHERE rank <= 3 GROUP BY ref),
     tri AS (
       SELECT ref, max(CASE WHEN kind = 'name' THEN word_similarity(body, $2) ELSE similarity(body, $2) END) AS similarity
       FROM knowledge_docs WHERE ${TRI_KINDS} GROUP BY ref)
     SELECT coalesce(fts.ref, tri.ref) AS ref, fts.score, tri.similarity
     FROM fts FULL JOIN tri ON tri.ref = fts.ref
     WHERE fts.score IS NOT NULL OR tri.similarity > 0.25`,
    [[...byQuery.keys()], question, lang, [...byQuery.values()]],
  );
  return rows
    .map((r) => ({ ref: r.ref, score: Number(r.score ?? 0), similarity: Number(r.similarity ?? 0) }))
    .sort((a, b) => b.score - a.score || b.similarity - a.similarity)
    .slice(0, limit);
}

/** Order-independent form: equal scores may come in any order from either path. */
export const canonical = (list: DocScore[]) => [...list].sort((a, b) => b.score - a.score || b.similarity - a.similarity || a.ref.localeCompare(b.ref));

/**
 * Every string against every short document: the in-memory `similarity` and `word_similarity` (as a
 * client reads a float4) next to the database's. Returns how many pairs were compared, the largest
 * difference and the first mismatches.
 */
export async function similarityMismatches(db: Db, kb: KnowledgeBase, strings: string[]): Promise<{ compared: number; docs: number; worst: number; failures: string[] }> {
  const docs = await db.query<{ id: number; body: string }>(`SELECT id, body FROM knowledge_docs WHERE ${TRI_KINDS} ORDER BY id`);
  await kb.store.chars.ensure([...strings, ...docs.map((d) => d.body)]);
  const docSets = new Map(docs.map((d) => [d.id, new Set(trigrams(d.body, kb.store.chars))]));
  let compared = 0;
  let worst = 0;
  const failures: string[] = [];
  for (let start = 0; start < strings.length; start += 40) {
    const chunk = strings.slice(start, start + 40);
    const rows = await db.query<{ i: string; id: number; s: number; w: number }>(
      `SELECT x.i, d.id, similarity(d.body, x.s) AS s, word_similarity(d.body, x.s) AS w
       FROM unnest($1::text[]) WITH ORDINALITY AS x(s, i) CROSS JOIN knowledge_docs d WHERE d.${TRI_KINDS}`,
      [chunk],
    );
    const prepared = chunk.map((s) => {
      const ordered = trigrams(s, kb.store.chars);
      return { set: new Set(ordered), hay: haystack(ordered) };
    });
    for (const r of rows) {
      const q = prepared[Number(r.i) - 1]!;
      const d = docSets.get(r.id)!;
      const s = float4AsRead(similarity(d, q.set));
      const w = float4AsRead(wordSimilarity(d, q.hay));
      worst = Math.max(worst, Math.abs(s - Number(r.s)), Math.abs(w - Number(r.w)));
      if (s !== Number(r.s) || w !== Number(r.w)) {
        if (failures.length < 10) failures.push(`${JSON.stringify(chunk[Number(r.i) - 1])} vs doc ${r.id}: ${s}/${r.s} ${w}/${r.w}`);
      }
      compared++;
    }
  }
  return { compared, docs: docs.length, worst, failures };
}

/** The strings the similarity check uses: questions normalized (and some as typed), edge and random strings. */
export function similarityStrings(qs: { lang: string; q: string }[], typedEvery: number, random: number): string[] {
  return [...new Set([...qs.map((q) => normalizeForMatch(q.q)), ...qs.filter((_, i) => i % typedEvery === 0).map((q) => q.q), ...edgeStrings, ...randomStrings(random)])];
}

/** One question's search in memory next to the former all-SQL search: what differs (empty when equal). */
export async function searchDifference(db: Db, kb: KnowledgeBase, q: { lang: string; q: string }): Promise<{ mine: unknown; reference: unknown } | undefined> {
  const terms = queryTerms(q.q, q.lang);
  const question = normalizeForMatch(q.q);
  const mine = await kb.store.search(terms, question, q.lang, 1000);
  const reference = await sqlSearch(db, terms, question, q.lang, 1000);
  const content = terms.filter((t) => t.content);
  // With the limit retrieval uses (12), the same scores in the same order (equal scores may swap references).
  const pairs = (list: DocScore[]) => list.slice(0, 12).map((d) => [d.score, d.similarity]);
  const a = { docs: canonical(mine.docs), known: [...mine.known(content)].sort(), top: pairs(mine.docs) };
  const b = { docs: canonical(reference), known: [...(await kb.store.knownTerms(content))].sort(), top: pairs(reference) };
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { mine: a, reference: b };
}

/**
 * A trigram as show_trgm prints it in a UTF-8 database: the three characters when each byte is an
 * ASCII letter, digit or space (ISPRINTABLETRGM), else 0x and six hex digits.
 */
export function showTrgm(t: number): string {
  const bytes = [(t >> 16) & 0xff, (t >> 8) & 0xff, t & 0xff];
  if (bytes.every((b) => b === 0x20 || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) return String.fromCharCode(...bytes);
  return `0x${t.toString(16).padStart(6, '0')}`;
}
