/**
 * The commands a `coworkbot` process loads alone (src/cli/command-modules.ts) are the registry's
 * (src/cli/commands.ts): same names, same command objects; and such a process loads neither the bot
 * (src/app.ts) nor the other commands.
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
});
