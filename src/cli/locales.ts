import { checkLocales, formatReport } from '../i18n/check.js';
import { localesDir } from '../i18n/i18n.js';
import type { Command } from './command.js';

export const localesCommand: Command = {
  summary: 'check translations: missing, extra and broken keys, unreviewed languages',
  help: `Usage: coworkbot locales check [--dir DIR] [--json]

Compares every locales/<lang>/<namespace>.json with English and lists missing keys,
extra keys, broken {{placeholders}}, wrong plural forms and missing files, then the
languages locales/STATUS.md does not mark as reviewed by a native speaker.
Exit code 1 when anything is missing or broken (unreviewed languages alone do not fail).`,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub !== 'check') {
      process.stderr.write(`${this.help}\n`);
      return 2;
    }
    let dir = localesDir;
    let json = false;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--json') json = true;
      else if (rest[i] === '--dir' && rest[i + 1]) dir = rest[++i]!;
      else {
        process.stderr.write(`Unknown option: ${rest[i]}\n${this.help}\n`);
        return 2;
      }
    }
    const report = checkLocales(dir);
    process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    return report.issues.length ? 1 : 0;
  },
};
