/**
 * The `coworkbot` command. Each subcommand lives in its own module and declares its help text.
 * This module loads little by itself: the commands (and the whole bot behind them) load after the
 * database a command is about to open has started opening (see {@link earlyDatabase}).
 */
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { loadDotEnv, parseConfig, ConfigError, type Config } from '../config.js';
import { configuredDb, DatabaseBusyError, openDatabaseEarly, parseDbTarget, type DbTarget } from '../storage/db.js';
import type { Command } from './command.js';
import { commandModules } from './command-modules.js';
import { VERSION } from '../version.js';
import { errorMessage } from '../logger.js';
import { mark } from '../timing.js';

const loadCommands = async (): Promise<Record<string, Command>> => {
  const { commands } = await import('./commands.js');
  mark('modules loaded');
  return commands;
};

const usage = (commands: Record<string, Command>) => `coworkbot — a multilingual assistant for coworking spaces

Usage: coworkbot <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run "coworkbot <command> --help" for a command's options; "coworkbot --version" for the version.
`;

/**
 * The database `start` and `simulate` open first (as they will: `start` the configured one,
 * `simulate` its `--db`, else a new one in memory), to open while the bot's modules load: on two
 * cores the database thread compiles PGlite and loads its data meanwhile, ~a third of the time to the
 * first reply otherwise spent before the bot could touch it (issue #17, start-up). Arguments the
 * command will refuse open nothing here.
 */
function earlyDatabase(name: string, args: string[], config: Config): DbTarget | undefined {
  if (name === 'start') return configuredDb(config);
  if (name !== 'simulate') return undefined;
  try {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, now: { type: 'string' }, db: { type: 'string' } } });
    return values.db ? parseDbTarget(values.db) : { kind: 'memory' };
  } catch {
    return undefined;
  }
}

/**
 * The commands that keep serving (the bot, the terminal chat, the simulator): they keep V8's
 * optimising compiler for PGlite's WebAssembly. Every other command runs for a second or so, and
 * V8 spent more CPU optimising PGlite's hot functions than those commands ran in them: with
 * `--liftoff-only` (the baseline compiler alone) `user add`, `migrate`, `translations list` took
 * ~0.35–0.45 s of CPU less each (~1.25 → ~0.8 s), `import --check` ~0.7 s less, `backup` and `restore`
 * ~0.2–0.4 s less, and a `migrate` without the template cache (every migration run) 5.3 → 3.8 s
 * (issue #17, docs/reference/performance.md).
 */
const SERVING = new Set(['start', 'chat', 'simulate']);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`coworkbot ${VERSION}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage(await loadCommands()));
    return name ? 0 : 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const command = (await loadCommands())[name];
    if (command) {
      process.stdout.write(`${command.help}\n`);
      return 0;
    }
  }
  // Before anything compiles PGlite (Node lets a process change V8 flags after it started).
  if (!SERVING.has(name)) setFlagsFromString('--liftoff-only');
  loadDotEnv();
  let config: Config;
  try {
    config = parseConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // An unknown command is reported as such, whatever the configuration.
    const commands = await loadCommands();
    if (!commands[name]) return unknownCommand(name, commands);
    process.stderr.write(`${err.message}\n`);
    return 78;
  }
  const target = earlyDatabase(name, rest, config);
  if (target) openDatabaseEarly(target);
  // A built-in command loads its own module only; a channel's command, or an unknown name, the registry.
  if (Object.hasOwn(commandModules, name)) {
    const command = await commandModules[name]!();
    mark('modules loaded');
    return command.run(rest, config);
  }
  const commands = await loadCommands();
  const command = commands[name];
  if (!command) return unknownCommand(name, commands);
  return command.run(rest, config);
}

function unknownCommand(name: string, commands: Record<string, Command>): number {
  process.stderr.write(`Unknown command "${name}".\n\n${usage(commands)}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined && code !== -1) process.exit(code);
  },
  (err) => {
    if (err instanceof DatabaseBusyError || err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`coworkbot: ${errorMessage(err)}\n`);
    process.exit(1);
  },
);
