#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm ci` and the Dockerfile) while it is up to date
// with src/; otherwise the TypeScript sources directly through tsx, so an edit is used at once and
// `npm ci` never needs a build to succeed. dist/ saves tsx's loader thread and compiled-source copies
// (~50 MB of memory, docs/reference/performance.md).
import { freshBuild } from './build.js';

if (freshBuild()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
