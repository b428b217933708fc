/**
 * Changes one value of a JSON file's text in place, keeping the file's own layout (key order,
 * indentation, word lists on one line): an imported translation then shows in a review as a one-line
 * change, not a reformatted file.
 */

/** Where each value (string, array or scalar) starts and ends in the text, by dotted path. */
export function valueSpans(text: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') {
      if (i >= text.length) throw new Error('unterminated string');
      i += text[i] === '\\' ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string[]): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        if (text[i] !== ':') throw new Error(`expected ":" at ${i}`);
        i++;
        value([...path, key]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] !== '}') throw new Error(`expected "}" at ${i}`);
        i++;
        return;
      }
    }
    if (c === '[') {
      let depth = 0;
      for (;;) {
        const ch = text[i];
        if (ch === undefined) throw new Error('unterminated array');
        if (ch === '"') {
          str();
          continue;
        }
        if (ch === '[') depth++;
        if (ch === ']' && --depth === 0) {
          i++;
          break;
        }
        i++;
      }
    } else if (c === '"') str();
    else {
      const m = /^[^,}\]\s]+/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected "${c}" at ${i}`);
      i += m[0].length;
    }
    out.set(path.join('.'), [start, i]);
  };
  value([]);
  return out;
}

/**
 * Sets values (by dotted path; each must exist already) in the JSON text and returns the new text.
 * A word list stays on one line.
 * @throws when a path does not exist or the result is not valid JSON.
 */
export function setJsonValues(text: string, values: ReadonlyMap<string, string | readonly string[]>): string {
  const spans = valueSpans(text);
  const edits: [number, number, string][] = [];
  for (const [path, v] of values) {
    const span = spans.get(path);
    if (!span) throw new Error(`no key ${path}`);
    const encoded = typeof v === 'string' ? JSON.stringify(v) : `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    edits.push([span[0], span[1], encoded]);
  }
  let out = text;
  for (const [s, e, v] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, s) + v + out.slice(e);
  JSON.parse(out);
  return out;
}
