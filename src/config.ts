/**
 * The whole configuration, as one zod schema grouped by concern. It is read from the environment
 * (and `.env` when present) once at start; a wrong value stops the process with one clear line.
 */
import { existsSync } from 'node:fs';
import OpeningHours from 'opening_hours';
import { z } from 'zod';

function validOpeningHours(spec: string): boolean {
  try {
    new OpeningHours(spec, null);
    return true;
  } catch {
    return false;
  }
}

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = z.string().url();
const optionalUrl = optionalString.pipe(url.optional());

/** Environment variable name → [group, key, schema, description]. The description doubles as the error text. */
const variables = {
  PORT: ['server', 'port', port.default(3000), 'a TCP port number (1-65535)'],
  HOST: ['server', 'host', z.string().default('127.0.0.1'), 'the address to listen on, e.g. 0.0.0.0'],
  PUBLIC_URL: ['server', 'publicUrl', optionalUrl, 'the public https URL of this bot, e.g. https://bot.example.org'],
  LOG_LEVEL: ['server', 'logLevel', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'one of fatal, error, warn, info, debug, trace, silent'],
  TRUSTED_PROXIES: [
    'server',
    'trustedProxies',
    z.coerce.number().int().min(0).max(10).default(0),
    'the number of reverse proxies in front of the bot that append X-Forwarded-For (0-10; 0: use the socket address)',
  ],
  TIMEZONE: ['server', 'timezone', z.string().default('Europe/Rome'), 'an IANA time zone such as Europe/Rome'],
  DATABASE_URL: ['database', 'url', optionalUrl, 'a postgres:// connection URL'],
  DATA_DIR: ['database', 'dataDir', z.string().default('./data/db'), 'a directory for the embedded database'],
  REDIS_URL: ['redis', 'url', optionalUrl, 'a redis:// connection URL'],
  TELEGRAM_BOT_TOKEN: ['telegram', 'token', optionalString, 'the token BotFather gave you'],
  TELEGRAM_WEBHOOK_SECRET: [
    'telegram',
    'webhookSecret',
    optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/)
        .optional(),
    ),
    '1-256 characters from A-Z, a-z, 0-9, _ and -',
  ],
  TELEGRAM_BOT_USERNAME: [
    'telegram',
    'botUsername',
    optionalString.pipe(
      z
        .string()
        .regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/)
        .optional(),
    ),
    "the bot's @username from BotFather, e.g. CoworkRomaBot (for poster QR codes)",
  ],
  TELEGRAM_API_ROOT: ['telegram', 'apiRoot', url.default('https://api.telegram.org'), 'an http(s) URL'],
  TELEGRAM_RATE_PER_SECOND: ['telegram', 'ratePerSecond', positiveInt.default(30), 'a whole number of messages per second (all chats)'],
  TELEGRAM_RATE_PER_CHAT: ['telegram', 'ratePerChat', positiveInt.default(1), 'a whole number of messages per second to one chat'],
  WHATSAPP_ACCESS_TOKEN: ['whatsapp', 'accessToken', optionalString, 'a WhatsApp Cloud API access token'],
  WHATSAPP_PHONE_NUMBER_ID: ['whatsapp', 'phoneNumberId', optionalString, 'the phone number id from the Meta app'],
  WHATSAPP_APP_SECRET: ['whatsapp', 'appSecret', optionalString, 'the Meta app secret'],
  WHATSAPP_VERIFY_TOKEN: ['whatsapp', 'verifyToken', optionalString, 'any secret string you also enter in the Meta app'],
  WHATSAPP_DISPLAY_NUMBER: [
    'whatsapp',
    'displayNumber',
    optionalString.pipe(
      z
        .string()
        .regex(/^\+?[0-9 ]{8,20}$/)
        .optional(),
    ),
    "the bot's public WhatsApp number in international form, e.g. +39 333 123 4567 (for poster QR codes)",
  ],
  WHATSAPP_API_URL: ['whatsapp', 'apiUrl', url.default('https://graph.facebook.com'), 'an http(s) URL'],
  WHATSAPP_RATE_PER_SECOND: ['whatsapp', 'ratePerSecond', positiveInt.default(80), 'a whole number of messages per second (per phone number)'],
  WHATSAPP_TEMPLATE_NAME: ['whatsapp', 'templateName', optionalString, 'the name of an approved message template'],
  WHATSAPP_TEMPLATE_LANGUAGE: ['whatsapp', 'templateLanguage', optionalString, 'the language code of that template, e.g. en or it'],
  WHATSAPP_MESSAGING_LIMIT: ['whatsapp', 'messagingLimit', positiveInt.default(250), 'a whole number of people reached outside the 24-hour window per 24 hours (your messaging-limit tier)'],
  BROADCAST_BATCH_SIZE: ['whatsapp', 'broadcastBatch', positiveInt.default(100), 'a whole number of broadcast messages claimed per batch'],
  OPENAI_API_KEY: ['llm', 'apiKey', optionalString, 'an API key for an OpenAI-compatible server'],
  OPENAI_BASE_URL: ['llm', 'baseUrl', optionalUrl, 'the base URL of an OpenAI-compatible API, e.g. http://localhost:8080/v1'],
  OPENAI_MODEL: ['llm', 'model', z.string().default('gpt-4o-mini'), 'a model name'],
  TRANSCRIBE_MODEL: ['llm', 'transcribeModel', optionalString, 'a speech-to-text model name on the same server, e.g. whisper-1'],
  CONTENT_TRANSLATION_WAIT_MS: ['llm', 'contentWaitMs', positiveInt.default(4000), 'a whole number of milliseconds a reply waits for a content translation'],
  CONTENT_DIR: ['content', 'dir', z.string().default('./data/demo'), 'a directory with spaces.csv and events.csv'],
  LOCATION_MAX_KM: [
    'content',
    'locationMaxKm',
    positiveInt.default(50),
    'a whole number of kilometres: a shared location farther than this from every space is told it is far, with the nearest space, instead of a list',
  ],
  DEFAULT_LANGUAGE: [
    'content',
    'defaultLanguage',
    z
      .string()
      .regex(/^[a-z]{2}$/)
      .default('en'),
    'a two-letter language code',
  ],
  RETENTION_DAYS: ['privacy', 'retentionDays', positiveInt.default(180), 'a whole number of days'],
  INSIGHTS_MIN_GROUP: ['privacy', 'minGroupSize', positiveInt.default(5), 'a whole number (smallest group shown)'],
  HANDOFF_HOURS: ['handoff', 'hours', z.string().default('Mo-Fr 09:00-18:00').refine(validOpeningHours), 'facilitator hours in opening_hours syntax, e.g. "Mo-Fr 09:00-18:00"'],
  HANDOFF_ALERT_MINUTES: ['handoff', 'alertMinutes', positiveInt.default(10), 'a whole number of minutes'],
  HANDOFF_TELEGRAM_CHAT_ID: ['handoff', 'telegramChatId', optionalString, "the chat id of the facilitators' Telegram group, e.g. -1001234567890"],
  METRICS_TOKEN: ['ops', 'metricsToken', optionalString.pipe(z.string().min(16).optional()), 'a secret of at least 16 characters (e.g. from: openssl rand -hex 32)'],
  BACKUP_DIR: ['ops', 'backupDir', optionalString, 'a directory for scheduled backups'],
  BACKUP_INTERVAL_HOURS: ['ops', 'backupIntervalHours', z.coerce.number().positive().default(24), 'a number of hours between scheduled backups, e.g. 24 or 0.5'],
  BACKUP_KEEP: ['ops', 'backupKeep', positiveInt.default(7), 'a whole number of scheduled backups to keep'],
} as const satisfies Record<string, readonly [string, string, z.ZodType, string]>;

type Vars = typeof variables;
type Group = Vars[keyof Vars][0];
type KeysOf<G extends Group> = {
  [V in keyof Vars as Vars[V][0] extends G ? Vars[V][1] : never]: z.output<Vars[V][2]>;
};

/** The parsed configuration. */
export type Config = { [G in Group]: KeysOf<G> };

/** Thrown when a variable is wrong; `message` is the one line shown to the operator. */
export class ConfigError extends Error {}

/**
 * Parses the configuration from an environment object.
 * @throws ConfigError naming the first wrong variable and what it expects.
 */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, Record<string, unknown>> = {
    server: {},
    database: {},
    redis: {},
    telegram: {},
    whatsapp: {},
    llm: {},
    content: {},
    privacy: {},
    handoff: {},
    ops: {},
  };
  for (const [name, [group, key, schema, expected]] of Object.entries(variables)) {
    const raw = env[name];
    const parsed = (schema as z.ZodType).safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) {
      const shown = raw === undefined ? 'not set' : `got "${secretLike(name) ? '***' : raw}"`;
      throw new ConfigError(`Configuration error: ${name} must be ${expected} (${shown}).`);
    }
    out[group]![key] = parsed.data;
  }
  const cfg = out as unknown as Config;
  const wa = cfg.whatsapp;
  if (wa.accessToken && (!wa.phoneNumberId || !wa.appSecret || !wa.verifyToken)) {
    const missing = !wa.phoneNumberId ? 'WHATSAPP_PHONE_NUMBER_ID' : !wa.appSecret ? 'WHATSAPP_APP_SECRET' : 'WHATSAPP_VERIFY_TOKEN';
    throw new ConfigError(`Configuration error: ${missing} must be set when WHATSAPP_ACCESS_TOKEN is set (not set).`);
  }
  return cfg;
}

function secretLike(name: string): boolean {
  return /TOKEN|SECRET|KEY|PASSWORD/.test(name);
}

/** Loads `.env` from the working directory if present (without overriding real environment variables). */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Names of every variable, for `.env.example` checks and the README. */
export const variableNames = Object.keys(variables);
