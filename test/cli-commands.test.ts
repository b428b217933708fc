/**
 * The commands a `coworkbot` process loads alone (src/cli/command-modules.ts) are the registry's
 * (src/cli/commands.ts): same names, same command objects; and such a process loads neither the bot
 * (src/app.ts) nor the other commands. A one-off command runs PGlite with V8's baseline compiler only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelModules } from '../src/channels/index.js';
import { commandModules } from '../src/cli/command-modules.js';
import { commands } from '../src/cli/commands.js';

/** Runs `coworkbot …` with a module hook that prints every app or registry module it loads. */
function modulesLoaded(args: string[]): { status: number | null; loaded: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-cli-modules-'));
  try {
    const hook = join(dir, 'hook.mjs');
    const resolve = `export async function resolve(s, c, n) { const r = await n(s, c); if (/\\/(app|commands)\\.(js|ts)$/.test(r.url)) process.stderr.write('LOADED ' + r.url + '\\n'); return r; }`;
    writeFileSync(hook, `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(resolve)}));\n`);
    const r = spawnSync(process.execPath, ['--import', hook, 'bin/coworkbot.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    return { status: r.status, loaded: [...r.stderr.matchAll(/^LOADED .*\/([^/]+)$/gm)].map((m) => m[1]!) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `coworkbot …` with a hook that prints every V8 flag the process sets at run time. */
function flagsSet(args: string[]): { status: number | null; flags: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cwb-cli-flags-'));
  try {
    const hook = join(dir, 'hook.cjs');
    writeFileSync(
      hook,
      `const v8 = require('node:v8'); const set = v8.setFlagsFromString; v8.setFlagsFromString = (f) => { process.stderr.write('FLAGS ' + f + '\\n'); set(f); }; require('node:module').syncBuiltinESMExports();\n`,
    );
    const r = spawnSync(process.execPath, ['--require', hook, 'bin/coworkbot.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    return { status: r.status, flags: [...r.stderr.matchAll(/^FLAGS (.*)$/gm)].map((m) => m[1]!) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('commands loaded one by one', () => {
  it('name every built-in command of the registry, each the same command', async () => {
    const channelCommands: string[] = channelModules.flatMap((m) => (m.command ? [m.id] : []));
    expect(Object.keys(commandModules).sort()).toEqual(
      Object.keys(commands)
        .filter((n) => !channelCommands.includes(n))
        .sort(),
    );
    for (const [name, load] of Object.entries(commandModules)) expect(await load(), name).toBe(commands[name]);
  });

  it('a `coworkbot backup` process loads neither the bot nor the registry; `--help` loads the registry', () => {
    // A refused option: the command's module is loaded and answers, nothing is opened.
    const backup = modulesLoaded(['backup', '--no-such-option']);
    expect(backup.status).toBe(2);
    expect(backup.loaded).toEqual([]);
    const help = modulesLoaded(['--help']);
    expect(help.status).toBe(0);
    expect(help.loaded.some((f) => /^commands\.(js|ts)$/.test(f))).toBe(true);
  });

  it('a one-off command compiles PGlite with the baseline compiler only; the bot and the simulator keep the optimising one', () => {
    // Refused options: the flag is set (or not) before the command parses its arguments; nothing is opened.
    expect(flagsSet(['backup', '--no-such-option'])).toEqual({ status: 2, flags: ['--liftoff-only'] });
    expect(flagsSet(['user', '--no-such-option']).flags).toEqual(['--liftoff-only']);
    expect(flagsSet(['simulate', '--no-such-option'])).toEqual({ status: 1, flags: [] });
  });
});
