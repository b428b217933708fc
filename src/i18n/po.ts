/**
 * Gettext PO files, the subset translators' tools write and read (Poedit, Weblate, Lokalize,
 * OmegaT, Crowdin, a text editor): a header entry, then entries with translator comments (`# `),
 * extracted comments (`#.`), references (`#:`), flags (`#,` — `fuzzy` means "not reviewed"),
 * `msgctxt`, `msgid`, `msgstr`, each string possibly split over several quoted lines with C escapes.
 * Plural entries (`msgid_plural`) are not used: our plural forms are exported as separate entries,
 * one per CLDR category, which every tool handles.
 */

export interface PoEntry {
  /** `msgctxt`: our key, `ns:dotted.key`. */
  context?: string;
  id: string;
  str: string;
  /** `#.` lines: notes for the translator (the English, what placeholders mean). */
  extracted: string[];
  /** `# ` lines: the translator's own comments. */
  comments: string[];
  /** `#:` references. */
  references: string[];
  /** `#,` flags, e.g. `fuzzy`. */
  flags: string[];
}

export interface PoFile {
  /** Header fields (`Language`, `Last-Translator`, `PO-Revision-Date`…). */
  headers: Record<string, string>;
  entries: PoEntry[];
}

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' })[c] ?? c);
}

/** A PO string: one line, or (with line breaks) an empty first line and one quoted line per line. */
function quote(keyword: string, s: string): string {
  if (!s.includes('\n') || s === '\n') return `${keyword} "${escape(s)}"`;
  const parts = s.split(/(?<=\n)/);
  return `${keyword} ""\n${parts.map((p) => `"${escape(p)}"`).join('\n')}`;
}

/** Serializes a PO file (UTF-8). */
export function writePo(file: PoFile): string {
  const header = Object.entries(file.headers)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
  const out = [`msgid ""\n${quote('msgstr', header)}`];
  for (const e of file.entries) {
    const lines: string[] = [];
    for (const c of e.comments) lines.push(`# ${c}`);
    for (const c of e.extracted) for (const l of c.split('\n')) lines.push(`#. ${l}`);
    if (e.references.length) lines.push(`#: ${e.references.join(' ')}`);
    if (e.flags.length) lines.push(`#, ${e.flags.join(', ')}`);
    if (e.context !== undefined) lines.push(quote('msgctxt', e.context));
    lines.push(quote('msgid', e.id));
    lines.push(quote('msgstr', e.str));
    out.push(lines.join('\n'));
  }
  return `${out.join('\n\n')}\n`;
}

/** A problem in a PO file, with its line number. */
export class PoError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Parses a PO file. Obsolete entries (`#~`) are ignored. @throws PoError on malformed input. */
export function readPo(text: string): PoFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries: PoEntry[] = [];
  let cur: Partial<PoEntry> & { extracted: string[]; comments: string[]; references: string[]; flags: string[] } = fresh();
  let field: 'context' | 'id' | 'str' | undefined;
  let started = false;
  function fresh() {
    return { extracted: [] as string[], comments: [] as string[], references: [] as string[], flags: [] as string[] };
  }
  function flush(lineNo: number) {
    if (started) {
      if (cur.id === undefined) throw new PoError(lineNo, 'an entry without msgid');
      if (cur.str === undefined) throw new PoError(lineNo, `msgid "${cur.id.slice(0, 40)}" has no msgstr`);
      entries.push(cur as PoEntry);
    }
    cur = fresh();
    field = undefined;
    started = false;
  }
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#~')) return;
    if (line.startsWith('#')) {
      if (started && cur.id !== undefined && cur.str !== undefined) flush(n);
      const body = line.slice(2);
      if (line.startsWith('#.')) cur.extracted.push(body.trimStart());
      else if (line.startsWith('#:')) cur.references.push(...body.trim().split(/\s+/).filter(Boolean));
      else if (line.startsWith('#,'))
        cur.flags.push(
          ...body
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean),
        );
      else if (line.startsWith('#|'))
        return; // previous msgid: informative only
      else cur.comments.push(line.slice(1).trimStart());
      return;
    }
    const m = /^(msgctxt|msgid|msgstr|msgid_plural|msgstr\[\d+\])\s+"(.*)"$/.exec(line);
    if (m) {
      const kw = m[1]!;
      if (kw === 'msgid_plural' || kw.startsWith('msgstr[')) throw new PoError(n, 'plural entries are not used here: each plural form is its own entry');
      if ((kw === 'msgctxt' || kw === 'msgid') && started && cur.str !== undefined) flush(n);
      started = true;
      field = kw === 'msgctxt' ? 'context' : kw === 'msgid' ? 'id' : 'str';
      if (cur[field] !== undefined) throw new PoError(n, `${kw} given twice`);
      cur[field] = unescape(m[2]!);
      return;
    }
    const cont = /^"(.*)"$/.exec(line);
    if (cont && field) {
      cur[field] = (cur[field] ?? '') + unescape(cont[1]!);
      return;
    }
    throw new PoError(n, `cannot read "${line.slice(0, 40)}"`);
  });
  flush(lines.length);
  const headerEntry = entries.find((e) => e.id === '' && e.context === undefined);
  const headers: Record<string, string> = {};
  for (const l of (headerEntry?.str ?? '').split('\n')) {
    const idx = l.indexOf(':');
    if (idx > 0) headers[l.slice(0, idx).trim()] = l.slice(idx + 1).trim();
  }
  return { headers, entries: entries.filter((e) => e !== headerEntry) };
}
