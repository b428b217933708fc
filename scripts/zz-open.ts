import { openDatabase } from '../src/storage/db.js';
const cpu0 = process.cpuUsage();
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  const db = await openDatabase({ kind: 'memory' });
  await db.query('SELECT 1');
  const opened = performance.now() - t;
  await db.close();
  const cu = process.cpuUsage(c);
  console.log(`open ${opened.toFixed(0)} ms, open+close ${(performance.now() - t).toFixed(0)} ms, cpu ${((cu.user + cu.system) / 1000).toFixed(0)} ms`);
}
const cu = process.cpuUsage(cpu0);
console.log('total cpu', ((cu.user + cu.system) / 1000).toFixed(0), 'rss', (process.memoryUsage().rss / 1e6).toFixed(0));
