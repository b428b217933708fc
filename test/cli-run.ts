/**
 * Runs a `coworkbot` subcommand in the test's own process, as src/cli/main.ts runs it once the
 * configuration is parsed: the number `run` returns is the code the process exits with, and what the
 * command writes to standard output and error is captured.
 *
 * For checks of a command's answers (refusals, messages, exit codes) where the process boundary is
 * not what is tested: as a process each costs ~1.5–2.5 s of CPU (Node, the CLI's modules, PGlite's
 * WebAssembly compiled again), in-process a fraction of that. Each command file keeps real
 * processes for its entry point, and test/docs.test.ts runs the guides' commands as processes.
 */
import { Readable } from 'node:stream';
import { vi } from 'vitest';
import type { Command } from '../src/cli/command.js';
import { testConfig } from './helpers.js';

export interface CommandRun {
  /** The exit code. */
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * `command.run(args)` with the configuration `env` gives (as the process's environment would),
 * `input` as standard input when given.
 */
export async function runCommand(command: Command, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const input = opts.input;
  const stdin = input === undefined ? undefined : vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(input)]) as unknown as typeof process.stdin);
  try {
    const status = await command.run(args, testConfig(opts.env));
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    stdin?.mockRestore();
  }
}
