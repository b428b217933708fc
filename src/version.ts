/** The running version, read once from package.json (the one place a release sets it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };

/** This build's version (semver; `-dev` between releases). Shown by `coworkbot --version` and `/healthz`. */
export const VERSION: string = pkg.version;
