/**
 * Structured JSON logs. Personal data (message text, channel addresses such as phone numbers, names)
 * and secrets are redacted by key wherever they appear, so a careless `log.info({ msg })` leaks nothing.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line. */
export const redactedKeys = [
  'text',
  'body',
  'caption',
  'address',
  'phone',
  'name',
  'first_name',
  'last_name',
  'username',
  'wa_id',
  'from',
  'email',
  'token',
  'secret',
  'password',
  'authorization',
  'cookie',
  'label',
  'payload',
  // WhatsApp business-scoped user ids are addresses too (a username-only person has no phone number).
  'user_id',
  'from_user_id',
  'parent_user_id',
  'recipient',
  'recipient_id',
  'recipient_user_id',
  'bsuid',
  'aliases',
];

const paths = redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** Creates the process logger. `destination` is for tests that read the lines back. */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { app: 'coworkbot' }, redact: { paths, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? pino.destination(2));
}

/** A logger that drops everything (tests, simulator). */
export const silentLogger: Logger = pino({ level: 'silent' });

/** The message of anything thrown: an Error's message, else the value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
