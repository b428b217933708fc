/**
 * The retrieval test set (test/retrieval/questions.jsonl: 176 questions in 16 languages, written for
 * the test) through the offline retrieval: top-1 accuracy must stay at or above 90%.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { languageCodes } from '../src/i18n/languages.js';
import { openDatabase, type Db } from '../src/storage/db.js';

interface Question {
  lang: string;
  q: string;
  expect: string;
}

const questions = readFileSync('test/retrieval/questions.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Question);

describe('offline retrieval', () => {
  let db: Db;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'memory' });
    kb = new KnowledgeBase(db, 'Europe/Rome');
    await kb.importDir('data/demo', new Date('2026-11-26T10:00:00+01:00'));
  });
  afterAll(async () => db.close());

  it('the test set covers every language with at least 150 questions', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(new Set(questions.map((q) => q.lang))).toEqual(new Set(languageCodes));
  });

  it('reaches at least 90% top-1 accuracy', async () => {
    let correct = 0;
    const misses: string[] = [];
    const perLang = new Map<string, [number, number]>();
    for (const q of questions) {
      const r = await kb.retrieve(q.q, q.lang);
      const ok = r.candidates[0]?.ref === q.expect;
      if (ok) correct++;
      else misses.push(`${q.lang} "${q.q}" → ${r.candidates[0]?.ref ?? 'nothing'} (expected ${q.expect})`);
      const [c, n] = perLang.get(q.lang) ?? [0, 0];
      perLang.set(q.lang, [c + (ok ? 1 : 0), n + 1]);
    }
    const accuracy = correct / questions.length;
    console.log(`retrieval top-1 accuracy: ${correct}/${questions.length} = ${(accuracy * 100).toFixed(1)}%`);
    console.log(`per language: ${[...perLang].map(([l, [c, n]]) => `${l} ${c}/${n}`).join(', ')}`);
    if (misses.length) console.log(`misses:\n  ${misses.join('\n  ')}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('never names a space that is not in the content', async () => {
    const ids = new Set(kb.content.spaces.map((s) => `space:${s.id}`));
    for (const q of ['where is Impact Hub Milano?', 'is Spazio Fantasma open?', 'dove si trova il Coworking Atlantide?']) {
      const r = await kb.retrieve(q, 'en');
      for (const c of r.candidates.filter((x) => x.ref.startsWith('space:'))) expect(ids.has(c.ref)).toBe(true);
    }
  });
});
