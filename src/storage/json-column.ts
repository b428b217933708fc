/**
 * JSON/JSONB columns read back from the database, parsed at the storage boundary. A stored value
 * that does not have the expected shape (a hand edit, an old row, a bug elsewhere) fails here, with
 * the table and column named, instead of travelling on as a wrong type.
 */
import { z } from 'zod';

/**
 * A stored JSON value that does not match its column's schema. The message names the table, the
 * column and the row, never the value (it may hold personal data); it is for logs, not for people.
 */
export class StoredJsonError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
    readonly row: string | undefined,
    readonly issues: string,
  ) {
    super(`stored JSON in ${table}.${column}${row === undefined ? '' : ` (row ${row})`} does not have the expected shape: ${issues}`);
    this.name = 'StoredJsonError';
  }
}

/** The parser of one JSON column: `parse(value, row)` returns the typed value or throws {@link StoredJsonError}. */
export interface JsonColumn<T> {
  readonly table: string;
  readonly column: string;
  readonly schema: z.ZodType<T>;
  /** Parses a value read from this column; `row` (the row's id) only makes the error findable. */
  parse(value: unknown, row?: string | number): T;
}

/** Declares a JSON column with its schema (one per stored shape, declared next to the type it checks). */
export function jsonColumn<T>(table: string, column: string, schema: z.ZodType<T>): JsonColumn<T> {
  return {
    table,
    column,
    schema,
    parse(value, row) {
      const r = schema.safeParse(value);
      if (r.success) return r.data;
      // zod's messages name the expected and received types, not the value.
      const issues = r.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.length ? i.path.join('.') : '(value)'}: ${i.message}`)
        .join('; ');
      throw new StoredJsonError(table, column, row === undefined ? undefined : String(row), issues);
    },
  };
}

/** An object of free-form values (answers, audit details): only the outer shape is checked. */
export const jsonObject = z.record(z.string(), z.unknown());

/** Text per language code (`{"en": "...", "ar": "..."}`). */
export const textPerLanguage = z.record(z.string(), z.string());
