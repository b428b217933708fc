import type { Config } from '../config.js';

/** A `coworkbot` subcommand. `run` returns the exit code, or -1 to keep the process running (servers). */
export interface Command {
  summary: string;
  help: string;
  run(args: string[], config: Config): Promise<number>;
}
