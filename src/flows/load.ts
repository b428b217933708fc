/**
 * Reading flow files: YAML → migrate forward → zod. Errors name the file, the path inside it and
 * the reason, so a broken flow stops start-up with one clear line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { YAMLParseError } from 'yaml';
import { parseYamlCached } from '../parse-cache.js';
import type { Translator } from '../i18n/i18n.js';
import { languageCodes } from '../i18n/languages.js';
import { flowSchema, migrateDocument, type Flow, type Text } from './format.js';
import { errorMessage } from '../logger.js';

export const flowsDir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'flows');

/** A flow file that cannot be used. `message` is `file: path: reason`. */
export class FlowError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: ${path || '(top)'}: ${reason}`);
  }
}

/** Parses and validates one flow document (already read). */
export function parseFlow(source: string, file: string): Flow {
  let doc: unknown;
  try {
    doc = parseYamlCached(source);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new FlowError(file, `line ${err.linePos?.[0]?.line ?? '?'}`, `not valid YAML (${err.code})`);
    // The yaml library reports some broken documents with other errors (an alias to an anchor
    // that does not exist is a ReferenceError): still a broken file, not a crash.
    throw new FlowError(file, '', `not valid YAML (${errorMessage(err)})`);
  }
  const parsed = flowSchema.safeParse(migrateDocument(doc));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FlowError(file, issue.path.join('.'), issue.message);
  }
  return parsed.data;
}

export function loadFlowFile(path: string): Flow {
  return parseFlow(readFileSync(path, 'utf8'), path);
}

/** Every `*.yaml` flow in a directory, by id. Two files with the same id are an error. */
export function loadFlows(dir = flowsDir): Map<string, Flow> {
  const flows = new Map<string, Flow>();
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = join(dir, name);
    const flow = loadFlowFile(file);
    if (flows.has(flow.id)) throw new FlowError(file, 'id', `flow id "${flow.id}" is also used by another file`);
    if (basename(name).replace(/\.ya?ml$/, '') !== flow.id) throw new FlowError(file, 'id', `the id must match the file name ("${flow.id}")`);
    flows.set(flow.id, flow);
  }
  return flows;
}

/** Every text a flow shows, with where it is. */
export function flowTexts(flow: Flow): { path: string; text: Text }[] {
  const out: { path: string; text: Text }[] = [{ path: 'title', text: flow.title }];
  flow.steps.forEach((s, i) => {
    if (s.type === 'say') {
      if (Array.isArray(s.text)) s.text.forEach((t, j) => out.push({ path: `steps.${i}.text.${j}`, text: t }));
      else out.push({ path: `steps.${i}.text`, text: s.text });
      s.commands?.forEach((c, j) => out.push({ path: `steps.${i}.commands.${j}.label`, text: c.label }));
    }
    if (s.type === 'action' && s.text) out.push({ path: `steps.${i}.text`, text: s.text });
    if (s.type === 'ask') {
      out.push({ path: `steps.${i}.prompt`, text: s.prompt });
      if (s.card) out.push({ path: `steps.${i}.card`, text: s.card });
      s.options?.forEach((o, j) => out.push({ path: `steps.${i}.options.${j}.label`, text: o.label }));
    }
  });
  return out;
}

/**
 * Checks that a flow speaks every language: each translation key exists in all 16 locales and each
 * per-language text has all 16 languages. Returns the problems (empty when fine).
 */
export function lintTranslations(flow: Flow, translator: Translator): string[] {
  const problems: string[] = [];
  for (const { path, text } of flowTexts(flow)) {
    if (typeof text === 'string') {
      const missing = languageCodes.filter((l) => !translator.has(l, text));
      if (missing.length) problems.push(`${path}: "${text}" is missing in ${missing.join(', ')}`);
    } else {
      const missing = languageCodes.filter((l) => !text[l]);
      if (missing.length) problems.push(`${path}: text is missing in ${missing.join(', ')}`);
    }
  }
  return problems;
}
