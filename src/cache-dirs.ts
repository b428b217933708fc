/**
 * Where derived artefacts are kept between runs (the migrated database template, the trained intent
 * model), first choice first: `TEMPLATE_CACHE_DIR` alone when set; otherwise the project's
 * `node_modules/.cache/coworkbot/` (filled by `npm ci`'s postinstall and the Dockerfile through
 * `coworkbot migrate --template`), then the temporary directory. Each artefact is named after a hash
 * of what it is built from, so a stale one is never read; a read-only place is skipped when writing.
 */
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The cache directories, first choice first (see the module comment). */
export function cacheDirs(): string[] {
  if (process.env.TEMPLATE_CACHE_DIR) return [process.env.TEMPLATE_CACHE_DIR];
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return [join(root, 'node_modules', '.cache', 'coworkbot'), join(tmpdir(), 'coworkbot-cache')];
}
