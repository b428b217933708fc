/** fast-check arbitraries that mutate valid inputs: text edits and structural edits of parsed values. */
import fc from 'fast-check';

/** A function that applies 1–8 random character-level edits (delete, insert, duplicate, swap). */
export function mutateText(): fc.Arbitrary<(s: string) => string> {
  const edit = fc.record({
    kind: fc.constantFrom('delete', 'insert', 'duplicate', 'replace', 'swapLines'),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 40 }),
    text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('\n', ':', '- ', '  ', '{', '"', '\u0000', '\u202e', '\ufeff', '{{', '}}')),
  });
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => (s: string) => {
    let out = s;
    for (const e of edits) {
      const at = out.length ? e.at % out.length : 0;
      if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.len);
      else if (e.kind === 'insert') out = out.slice(0, at) + e.text + out.slice(at);
      else if (e.kind === 'duplicate') out = out.slice(0, at) + out.slice(at, at + e.len) + out.slice(at);
      else if (e.kind === 'replace') out = out.slice(0, at) + e.text + out.slice(at + e.len);
      else {
        const lines = out.split('\n');
        if (lines.length > 1) {
          const i = e.at % lines.length;
          const j = (e.at + e.len) % lines.length;
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
        out = lines.join('\n');
      }
    }
    return out;
  });
}

/** Any JSON-like value, used as replacement material. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 10 }),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
);

/** A function that applies 1–5 structural edits to a parsed document: delete a key, replace a value. */
export function mutateValue(): fc.Arbitrary<(v: unknown) => unknown> {
  const edit = fc.record({ pick: fc.nat(), kind: fc.constantFrom('delete', 'replace', 'emptyArray'), value: anyValue });
  return fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => (root: unknown) => {
    let doc = root;
    for (const e of edits) {
      const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
      const walk = (v: unknown) => {
        if (Array.isArray(v)) v.forEach((c, i) => (slots.push({ parent: v, key: i }), walk(c)));
        else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) slots.push({ parent: v as Record<string, unknown>, key: k }), walk(c);
      };
      walk(doc);
      if (slots.length === 0) {
        doc = e.value;
        continue;
      }
      const { parent, key } = slots[e.pick % slots.length]!;
      if (e.kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
      } else if (e.kind === 'emptyArray') (parent as Record<string | number, unknown>)[key] = [];
      else (parent as Record<string | number, unknown>)[key] = e.value;
    }
    return doc;
  });
}
