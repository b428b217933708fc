/**
 * Where derived artefacts are kept between runs (the migrated database template, the trained intent
 * model, the files every start parses: `src/parse-cache.ts`), first choice first: `TEMPLATE_CACHE_DIR` alone when set; otherwise the project's
 * `node_modules/.cache/coworkbot/` (filled by `npm ci`'s postinstall and the Dockerfile through
 * `coworkbot migrate --template`), then the temporary directory. Each artefact is named after a hash
 * of what it is built from, so a stale one is never read; a read-only place is skipped when writing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The cache directories, first choice first (see the module comment). */
export function cacheDirs(): string[] {
  if (process.env.TEMPLATE_CACHE_DIR) return [process.env.TEMPLATE_CACHE_DIR];
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return [join(root, 'node_modules', '.cache', 'coworkbot'), join(tmpdir(), 'coworkbot-cache')];
}

/**
 * The artefact `name` from the first cache directory that has one `decode` accepts (it returns
 * undefined or throws for a copy it cannot use: the next place is tried).
 */
export function readCached<T>(name: string, decode: (bytes: Buffer) => T | undefined, dirs = cacheDirs()): T | undefined {
  for (const dir of dirs) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    try {
      const value = decode(readFileSync(path));
      if (value !== undefined) return value;
    } catch {
      // unreadable: the next place
    }
  }
  return undefined;
}

/**
 * Keeps `data` as `name` in the first cache directory that takes it: written aside and renamed, so a
 * process reading at the same time never sees half a file; a read-only place is skipped.
 * @returns the file's path, or undefined when no place took it (built again next time).
 */
export function writeCached(name: string, data: string | Uint8Array, dirs = cacheDirs()): string | undefined {
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, name);
      const part = `${path}.${process.pid}.part`;
      writeFileSync(part, data);
      renameSync(part, path);
      return path;
    } catch {
      // a read-only place: the next one
    }
  }
  return undefined;
}
