/**
 * The in-memory trigram similarity (src/knowledge/trigram.ts) against the database's pg_trgm: for
 * every retrieval test question (as retrieval sends it, normalized; a fifth also as typed) and a set
 * of edge and random strings, `similarity()` and
 * `word_similarity()` against every name, paraphrase and title document must be the same number the
 * database returns (as a client reads a float4), and the knowledge search must return exactly what
 * the former all-SQL search returned. On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../src/core/text.js';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { queryTerms } from '../src/knowledge/search-text.js';
import { CharTable, float4AsRead, haystack, similarity, trigrams, wordSimilarity } from '../src/knowledge/trigram.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { KnowledgeStore, type DocScore } from '../src/storage/knowledge-store.js';
import { dbTarget, dbTargetNames } from './helpers.js';

const questions = readFileSync('test/retrieval/questions.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { lang: string; q: string });

/** Deterministic pseudo-random strings over many scripts, separators and odd characters. */
function randomStrings(n: number): string[] {
  const pool = [
    ...'abcxyzABCXYZ0123456789', ' ', ' ', '  ', '-', '_', "'", '.', ',', '?', '!', '\t', '\n',
    ...'éèàüößÆøÅçñİıŞğ', ...'абвгдЖЩЁїєґ', ...'αβγΣσς', ...'مرحبابكفيروما٠١٢٣۴۵', ...'سلامخوشآمدید', ...'你好世界工作空间免费',
    ...'ሰላምኣለኹምቦታ', ...'নমস্কারবন্ধুকাজ', ...'ہےکیاں', ...'ａｂｃ１２３', '😀', '🇮🇹', '👩‍💻', '\u200d', '\u0301', '\u00a0', '\u3000', '·', '°', '€',
  ];
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, () => {
    const len = Math.floor(rnd() * 40);
    return Array.from({ length: len }, () => pool[Math.floor(rnd() * pool.length)]!).join('');
  });
}

const edgeStrings = [
  '', ' ', 'a', 'ab', 'abc', 'A', '😀', '😀😀 🇮🇹', '!!! ??? ...', '___', "l'ora", 'co-working', 'Hub_Roma',
  'naïve café', 'NAÏVE CAFÉ', 'ΟΔΟΣ ΣΟΦΟΣ', 'İSTANBUL ıi', 'ß ẞ Straße', 'ǅemal ǆ', 'ＡＢＣ １２３', 'e\u0301te\u0301',
  '١٢٣ ۴۵۶ 123', 'مرحبا 你好 ሰላም নমস্কার привет hello', 'coworking\tgratis\nroma', '\u00a0gratis\u3000roma',
  'x'.repeat(300), 'coworking gratuito vicino a termini '.repeat(40), '工作'.repeat(200), 'አ'.repeat(100),
  'a\uD800b \uDC00x', 'Millepiani', 'millepiani coworking', 'Impact Hub Roma', 'where is millepiani?', '🙂 millepiani 🙂',
];

const TRI_KINDS = `kind IN ('name', 'paraphrase', 'title')`;

/** The search as it was in SQL before the trigram part moved to memory (the reference). */
async function sqlSearch(db: Db, terms: { word: string; prefix: boolean; weight?: number }[], question: string, lang: string, limit: number): Promise<DocScore[]> {
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
const canonical = (list: DocScore[]) => [...list].sort((a, b) => b.score - a.score || b.similarity - a.similarity || a.ref.localeCompare(b.ref));

describe('legacy CRC-32 (pg_trgm hashes multibyte trigrams with it)', () => {
  it('gives the trigrams PGlite and PostgreSQL show for a Chinese word', async () => {
    // SELECT show_trgm('你好世界') printed these on both databases (three hashed bytes, hex or printable).
    const chars = new CharTable(async (list) => new Map(list.map((c) => [c, { word: true, lower: c }])));
    await chars.ensure(['你好世界']);
    expect(new Set(trigrams('你好世界', chars).map(showTrgm))).toEqual(new Set(['0xd56590', '0xebddfa', '0xf98da8', '0x325192', 'IgR']));
  });
});

describe.each(dbTargetNames())('trigram similarity in memory equals pg_trgm (%s)', (name) => {
  let db: Db;
  let kb: KnowledgeBase;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await dbTarget(name);
    cleanup = t.cleanup;
    db = await openDatabase(t.target);
    kb = new KnowledgeBase(db, 'Europe/Rome');
    await kb.importDir('data/demo', new Date('2026-11-26T10:00:00+01:00'));
  }, 60_000);
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('show_trgm of every document and test string is the in-memory trigram set', async () => {
    const docs = await db.query<{ body: string }>(`SELECT DISTINCT body FROM knowledge_docs WHERE ${TRI_KINDS}`);
    const strings = [...docs.map((d) => d.body), ...questions.map((q) => q.q), ...edgeStrings, ...randomStrings(40)].filter((s) => !s.includes('\0'));
    await kb.store.chars.ensure(strings);
    const shown = await db.query<{ i: string; t: string[] }>('SELECT i, show_trgm(s) AS t FROM unnest($1::text[]) WITH ORDINALITY AS x(s, i)', [strings]);
    let mismatches = 0;
    for (const r of shown) {
      const s = strings[Number(r.i) - 1]!;
      const mine = [...new Set(trigrams(s, kb.store.chars))].map(showTrgm).sort();
      const theirs = [...r.t].sort();
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
        mismatches++;
        if (mismatches < 5) expect({ s, mine }).toEqual({ s, mine: theirs });
      }
    }
    expect(mismatches).toBe(0);
  }, 120_000);

  it('similarity and word_similarity equal the database for every question, edge and random string against every short document', async () => {
    const docs = await db.query<{ id: number; body: string }>(`SELECT id, body FROM knowledge_docs WHERE ${TRI_KINDS} ORDER BY id`);
    expect(docs.length).toBeGreaterThan(500);
    const strings = [...new Set([...questions.map((q) => normalizeForMatch(q.q)), ...questions.filter((_, i) => i % 5 === 0).map((q) => q.q), ...edgeStrings, ...randomStrings(30)])];
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
    console.log(`trigram equivalence (${name}): ${compared} pairs × 2 functions, largest difference ${worst}`);
    expect(failures).toEqual([]);
    expect(worst).toBeLessThan(1e-6);
    expect(compared).toBe(strings.length * docs.length);
  }, 300_000);

  it('the search returns what the former all-SQL search returned, for every question', async () => {
    for (const q of questions) {
      const terms = queryTerms(q.q, q.lang);
      const question = normalizeForMatch(q.q);
      const mine = await kb.store.search(terms, question, q.lang, 1000);
      const reference = await sqlSearch(db, terms, question, q.lang, 1000);
      expect(canonical(mine.docs), q.q).toEqual(canonical(reference));
      const content = terms.filter((t) => t.content);
      expect(mine.known(content), q.q).toEqual(await kb.store.knownTerms(content));
      // With the limit retrieval uses (12), the same scores in the same order (equal scores may swap references).
      const pairs = (list: DocScore[]) => list.slice(0, 12).map((d) => [d.score, d.similarity]);
      expect(pairs(mine.docs), q.q).toEqual(pairs(reference));
    }
  }, 300_000);

  it('follows document changes from another store on the same database (another process), including in-place updates', async () => {
    const other = new KnowledgeStore(db);
    const probe = 'millepiani coworking roma';
    const check = async () => {
      const mine = await kb.store.search([], probe, 'en', 1000);
      expect(canonical(mine.docs)).toEqual(canonical(await sqlSearch(db, [], probe, 'en', 1000)));
      return mine.docs;
    };
    const before = await check();
    expect(before.some((d) => d.ref === 'space:millepiani')).toBe(true);
    // Another process rewrites a space's documents: its name changes.
    await other.replaceDocs('space:millepiani', [{ ref: 'space:millepiani', lang: 'any', kind: 'name', body: 'spazio zeta', tokens: ['spazio', 'zeta'] }]);
    expect((await check()).some((d) => d.ref === 'space:millepiani')).toBe(false);
    // An UPDATE in place (no new id, same count) is seen too.
    await db.query(`UPDATE knowledge_docs SET body = 'millepiani coworking' WHERE ref = 'space:millepiani' AND kind = 'name'`);
    expect((await check()).some((d) => d.ref === 'space:millepiani')).toBe(true);
    // Documents removed.
    await other.replaceDocs('space:millepiani', []);
    expect((await check()).some((d) => d.ref === 'space:millepiani')).toBe(false);
    // A new import restores everything.
    await kb.importDir('data/demo', new Date('2026-11-27T10:00:00+01:00'));
    expect(await check()).toEqual(before);
  }, 120_000);
});

/**
 * A trigram as show_trgm prints it in a UTF-8 database: the three characters when each byte is an
 * ASCII letter, digit or space (ISPRINTABLETRGM), else 0x and six hex digits.
 */
function showTrgm(t: number): string {
  const bytes = [(t >> 16) & 0xff, (t >> 8) & 0xff, t & 0xff];
  if (bytes.every((b) => b === 0x20 || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) return String.fromCharCode(...bytes);
  return `0x${t.toString(16).padStart(6, '0')}`;
}
