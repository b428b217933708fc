/**
 * Each built-in command's own module, loaded alone when that command runs: `src/cli/commands.ts`
 * imports every command (and, through `start`, `chat` and `simulate`, the whole bot), which cost a
 * `coworkbot user add` or `backup` ~0.6 s of CPU for modules it never uses (issue #17; the test
 * suite runs about 45 such processes). The usage text, `--help` and the channels' own commands
 * still load the full registry; `test/cli-commands.test.ts` checks both name the same commands.
 */
import type { Command } from './command.js';

export const commandModules: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start.js')).startCommand,
  chat: async () => (await import('./chat.js')).chatCommand,
  simulate: async () => (await import('./simulate-command.js')).simulateCommand,
  migrate: async () => (await import('./migrate.js')).migrateCommand,
  locales: async () => (await import('./locales.js')).localesCommand,
  flow: async () => (await import('./flow.js')).flowCommand,
  user: async () => (await import('./user.js')).userCommand,
  import: async () => (await import('./import.js')).importCommand,
  translations: async () => (await import('./translations.js')).translationsCommand,
  backup: async () => (await import('./backup.js')).backupCommand,
  restore: async () => (await import('./backup.js')).restoreCommand,
};
