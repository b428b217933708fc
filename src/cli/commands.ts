/** The registry of `coworkbot` subcommands. */
import type { Command } from './command.js';
import { backupCommand, restoreCommand } from './backup.js';
import { chatCommand } from './chat.js';
import { localesCommand } from './locales.js';
import { flowCommand } from './flow.js';
import { importCommand } from './import.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate-command.js';
import { startCommand } from './start.js';
import { userCommand } from './user.js';
import { channelModules } from '../channels/index.js';
import { translationsCommand } from './translations.js';

export const commands: Record<string, Command> = {
  start: startCommand,
  chat: chatCommand,
  simulate: simulateCommand,
  migrate: migrateCommand,
  locales: localesCommand,
  flow: flowCommand,
  user: userCommand,
  // A channel's own command is named after it (`coworkbot telegram set-webhook`).
  ...Object.fromEntries(channelModules.flatMap((m) => (m.command ? [[m.id, m.command]] : []))),
  import: importCommand,
  translations: translationsCommand,
  backup: backupCommand,
  restore: restoreCommand,
};
