/**
 * `coworkbot flow lint [FILE…]` checks flow files (format, references, translations in all 16
 * languages); `coworkbot flow run FILE [--lang xx]` steps through one flow in the terminal.
 */
import { errorMessage } from '../logger.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { Translator } from '../i18n/i18n.js';
import { isSupported } from '../i18n/languages.js';
import { textIn } from '../flows/card.js';
import { resume, start, type EngineInput, type EngineResult } from '../flows/engine.js';
import { FlowError, flowsDir, lintTranslations, loadFlowFile } from '../flows/load.js';
import type { Command } from './command.js';

/** Lints the given files (or every file in flows/). Returns the problems, one line each. */
export async function lintFlows(files: string[], translator?: Translator): Promise<string[]> {
  const tr = translator ?? (await Translator.create());
  const targets = files.length
    ? files
    : readdirSync(flowsDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(flowsDir, f));
  const problems: string[] = [];
  for (const file of targets) {
    try {
      const flow = loadFlowFile(file);
      for (const p of lintTranslations(flow, tr)) problems.push(`${file}: ${p}`);
    } catch (err) {
      if (err instanceof FlowError) problems.push(err.message);
      else problems.push(`${file}: ${errorMessage(err)}`);
    }
  }
  return problems;
}

export const flowCommand: Command = {
  summary: 'check flow files, or step through one in the terminal',
  help: `Usage: coworkbot flow lint [FILE…]
       coworkbot flow run FILE [--lang en]

lint  checks every flow in flows/ (or the files given): YAML, format version, step
      references, and that every text exists in all 16 languages. Exit code 1 on problems.
run   asks the flow's questions in the terminal. Answer with an option number, text,
      "back", "skip", "later", "quit", "done", or "loc LAT LNG" for a location.`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { lang: { type: 'string', default: 'en' } } });
    const [sub, ...files] = positionals;
    if (sub === 'lint') {
      const problems = await lintFlows(files);
      for (const p of problems) process.stderr.write(`${p}\n`);
      if (!problems.length) process.stdout.write(`Flows OK (${files.length || 'all files in flows/'}).\n`);
      return problems.length ? 1 : 0;
    }
    if (sub === 'run' && files[0]) {
      const lang = isSupported(values.lang ?? null) ? values.lang! : 'en';
      let flow;
      try {
        flow = loadFlowFile(files[0]);
      } catch (err) {
        process.stderr.write(`${errorMessage(err)}\n`);
        return 1;
      }
      const t = (await Translator.create()).for(lang);
      const ctx = () => ({ now: new Date(), label: (x: Parameters<typeof textIn>[2]) => textIn(t, lang, x) });
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
      let res: EngineResult = start(flow, ctx());
      let choices: string[] = [];
      const show = (r: EngineResult) => {
        for (const m of r.messages) {
          process.stdout.write(`\n${textIn(t, lang, m.text, m.vars)}\n`);
          choices = (m.choices ?? []).map((c) => c.id);
          m.choices?.forEach((c, i) => process.stdout.write(`  ${i + 1}. ${c.selected ? '✓ ' : ''}${textIn(t, lang, c.label)}\n`));
        }
        for (const a of r.actions) process.stdout.write(`  [action: ${a.type}]\n`);
      };
      show(res);
      for await (const line of rl) {
        if (res.state.status !== 'running') break;
        const n = Number(line.trim());
        const id = Number.isInteger(n) && n >= 1 && n <= choices.length ? choices[n - 1]! : undefined;
        const loc = line.match(/^loc\s+(-?[\d.]+)\s+(-?[\d.]+)/);
        const word = line.trim().toLowerCase();
        const controls: Record<string, EngineInput> = {
          back: { type: 'control', control: 'back' },
          skip: { type: 'control', control: 'skip' },
          later: { type: 'control', control: 'pause' },
          quit: { type: 'control', control: 'stop' },
          done: { type: 'control', control: 'done' },
          restart: { type: 'control', control: 'restart' },
        };
        const input: EngineInput = id?.startsWith('flow:a:')
          ? { type: 'option', value: id.slice(7) }
          : id?.startsWith('flow:x:')
            ? { type: 'control', control: id.slice(7) as 'back' }
            : loc
              ? { type: 'location', lat: Number(loc[1]), lng: Number(loc[2]) }
              : (controls[word] ?? { type: 'text', text: line });
        res = resume(flow, res.state, input, ctx());
        show(res);
        if (res.state.status !== 'running') break;
      }
      rl.close();
      process.stdout.write(`\n[${res.state.status}] answers: ${JSON.stringify(res.state.answers)}\n`);
      return 0;
    }
    process.stderr.write(`${this.help}\n`);
    return 2;
  },
};
