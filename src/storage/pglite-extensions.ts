/**
 * The PostgreSQL extensions our migrations use, as PGlite loads them: one list for the database
 * thread (src/storage/pglite-worker.ts) and for PGlite opened on the main thread (backups, tests).
 */
export async function pgliteExtensions() {
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  return { pg_trgm, unaccent };
}
