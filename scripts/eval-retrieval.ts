/** Prints top-1 accuracy of the offline retrieval on test/retrieval/questions.jsonl (and the misses). */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../src/storage/db.js';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';

const db = await openDatabase({ kind: 'memory' });
const kb = new KnowledgeBase(db, 'Europe/Rome');
await kb.importDir('data/demo', new Date());
const qs = readFileSync('test/retrieval/questions.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { lang: string; q: string; expect: string });
let ok = 0;
const t0 = performance.now();
for (const q of qs) {
  const r = await kb.retrieve(q.q, q.lang);
  const top = r.candidates[0]?.ref;
  if (top === q.expect) ok++;
  else
    console.log(
      `MISS ${q.lang} ${q.q} → ${r.candidates
        .slice(0, 3)
        .map((c) => `${c.ref}:${c.score.toFixed(1)}`)
        .join(' ')} (want ${q.expect})`,
    );
}
console.log(`top-1 ${ok}/${qs.length} = ${((100 * ok) / qs.length).toFixed(1)}%  ${((performance.now() - t0) / qs.length).toFixed(1)} ms/question`);
await db.close();
