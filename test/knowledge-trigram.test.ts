/**
 * The in-memory trigram similarity (src/storage/trigram.ts) against the database's pg_trgm: for
 * a fixed sample of the retrieval test questions (as retrieval sends it, normalized; a fifth also as
 * typed; every question in `npm run bench -- trigram`) and a set of edge and random strings, `similarity()` and
 * `word_similarity()` against every name, paraphrase and title document must be the same number the
 * database returns (as a client reads a float4), and the knowledge search must return exactly what
 * the former all-SQL search returned. On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../src/core/text.js';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { queryTerms } from '../src/knowledge/search-text.js';
import { CharTable, trigrams } from '../src/storage/trigram.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { KnowledgeStore, type DocScore } from '../src/storage/knowledge-store.js';
import { dbTarget, dbTargetNames } from './helpers.js';
import { canonical, edgeStrings, questions, randomStrings, showTrgm, similarityMismatches, similarityStrings, sqlSearch, TRI_KINDS } from './trigram-support.js';

/**
 * A fixed sample keeps this file quick; `npm run bench -- trigram` runs the same checks on every
 * retrieval question (the full comparison, with its figures).
 */
const sample = questions.filter((_, i) => i % 6 === 0);
const searchSample = questions.filter((_, i) => i % 4 === 0);

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

  it('similarity and word_similarity equal the database for a sample of questions, edge and random strings against every short document', async () => {
    const strings = similarityStrings(sample, 5, 30);
    const { compared, docs, worst, failures } = await similarityMismatches(db, kb, strings);
    expect(docs).toBeGreaterThan(500);
    console.log(`trigram equivalence (${name}): ${compared} pairs × 2 functions, largest difference ${worst}`);
    expect(failures).toEqual([]);
    expect(worst).toBeLessThan(1e-6);
    expect(compared).toBe(strings.length * docs);
  }, 300_000);

  it('the search returns what the former all-SQL search returned, for a sample of the questions', async () => {
    for (const q of searchSample) {
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
