/** The registry of `coworkbot` subcommands. */
import type { Command } from './command.js';
import { chatCommand } from './chat.js';
import { importCommand } from './import.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate-command.js';
import { startCommand } from './start.js';

export const commands: Record<string, Command> = {
  start: startCommand,
  chat: chatCommand,
  simulate: simulateCommand,
  migrate: migrateCommand,
  import: importCommand,
};
