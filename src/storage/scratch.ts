/**
 * A throw-away PostgreSQL database next to the one an admin URL names: tests, the benchmark and the
 * load test each get their own, so they never share rows, and drop it afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export async function scratchDatabase(adminUrl: string, prefix = 'cwb'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
