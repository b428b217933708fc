/**
 * Malformed input on the web answered as what it is, a client error: 400, logged in one line without a
 * stack trace. Checked once for every request (the URL) and for every staff form (the fields, in
 * the staff session middleware); what slips through to the database as invalid data (SQLSTATE class
 * 22: a NUL byte, an integer out of range) is mapped to 400 by {@link clientError} in the error handler.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isMalformed } from '../core/text.js';
import { invalidDataError } from '../storage/db.js';

/** Refuses a request whose path or query string does not decode to well-formed text (bad percent-encoding, NUL, lone surrogates). */
export function wellFormedUrl(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const rest = start < 0 ? '' : url.slice(start);
    try {
      const [path = '', query = ''] = rest.split('?', 2);
      if (isMalformed(decodeURIComponent(path))) return bad(c);
      for (const part of query.split('&')) if (part && isMalformed(decodeURIComponent(part.replace(/\+/g, ' ')))) return bad(c);
    } catch {
      return bad(c); // URIError: percent-encoding that is not UTF-8
    }
    await next();
  };
}

/** Whether any field of a parsed form holds a NUL byte or a lone surrogate. */
export function malformedForm(form: Record<string, unknown>): boolean {
  return Object.entries(form).some(([k, v]) => isMalformed(k) || [v].flat().some((x) => typeof x === 'string' && isMalformed(x)));
}

/** The answer to a malformed request (plain text: staff pages and APIs both read it). */
export function bad(c: Context): Response {
  return c.text('Bad request: the request holds characters or numbers this server does not accept.', 400);
}

/**
 * Whether an error thrown while handling a request is the client's fault: an HTTP 4xx exception,
 * a URL that does not decode, or the database refusing the data itself (SQLSTATE class 22).
 * Such errors get 400 and one log line without a stack trace; anything else is a server error.
 */
export function clientError(err: unknown): number | undefined {
  if (err instanceof HTTPException && err.status < 500) return err.status;
  if (err instanceof URIError || invalidDataError(err)) return 400;
  return undefined;
}

/** A positive whole number that fits a database id (bigint), or undefined: for ids from paths and forms. */
export function positiveId(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^[1-9][0-9]{0,15}$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}
