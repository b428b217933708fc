/**
 * The `coworkbot` command. Each subcommand lives in its own module and declares its help text.
 */
import { loadDotEnv, parseConfig, ConfigError, type Config } from '../config.js';
import { DatabaseBusyError } from '../storage/db.js';
import { commands } from './commands.js';
import { VERSION } from '../version.js';
import { errorMessage } from '../logger.js';
import { mark } from '../timing.js';

mark('modules loaded');

const usage = `coworkbot — a multilingual assistant for coworking spaces

Usage: coworkbot <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run "coworkbot <command> --help" for a command's options; "coworkbot --version" for the version.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`coworkbot ${VERSION}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  loadDotEnv();
  let config: Config;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78;
    }
    throw err;
  }
  return command.run(rest, config);
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
