import { openDatabase } from './src/storage/db.js';
import { KnowledgeBase } from './src/knowledge/knowledge-base.js';
const db = await openDatabase({ kind: 'memory' });
const kb = new KnowledgeBase(db, 'Europe/Rome');
await kb.importDir('data/demo', new Date());
const qs = process.argv.slice(2);
for (const q of qs) {
  const [l, text] = q.split('|');
  const r = await kb.retrieve(text!, l!);
  const u = r.understanding;
  console.log(text, r.confident, r.coverage.toFixed(2), r.candidates.slice(0,3).map(c=>`${c.ref}:${c.score.toFixed(1)}`).join(' '), JSON.stringify({s:u.services,p:u.price,t:u.times,l:u.languages,i:u.intents,pl:u.place?.name}));
}
await db.close();
