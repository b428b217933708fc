/**
 * Telegram's ways in: the webhook route (`POST /webhooks/telegram`, checked against
 * TELEGRAM_WEBHOOK_SECRET) and long polling (no public URL needed). Both decode with
 * {@link decodeTelegramUpdate}, store through `bot.receive` (which returns once the message is safe),
 * and let the core answer outside the request.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot as GrammyBot } from 'grammy';
import type { ChannelPorts } from '../ports.js';
import type { RouteMounter } from '../../web/routes.js';
import { acceptReaction } from '../feedback.js';
import { limitBody, sameSecret } from '../webhook-util.js';
import { decodeTelegramUpdate, type TelegramDecoded } from './decode.js';
import { TelegramAdapter } from './telegram-adapter.js';
import { errorMessage } from '../../logger.js';

/**
 * The updates the bot asks Telegram for (webhook and long polling). `message_reaction` is not sent
 * unless listed: it brings the 👍 / 👎 people put on the bot's answers (feedback).
 */
export const TELEGRAM_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'message_reaction'] as const;

/** Telegram updates are small; 1 MB is far above any real one. */
const MAX_BODY = 1024 * 1024;

/** Decodes one update and hands it to the core. Throws only when storing fails (the platform retries). */
export async function acceptTelegramUpdate(app: ChannelPorts, body: unknown): Promise<TelegramDecoded> {
  const decoded = decodeTelegramUpdate(body, app.clock.now());
  switch (decoded.kind) {
    case 'message': {
      await app.bot.receive(decoded.message);
      const adapter = app.channels.get('telegram');
      if (decoded.callbackQueryId && adapter instanceof TelegramAdapter) void adapter.answerCallback(decoded.callbackQueryId);
      break;
    }
    case 'reaction': {
      const outcome = await acceptReaction(app, decoded.reaction);
      app.log.info({ channel: 'telegram', outcome }, 'telegram: reaction');
      break;
    }
    case 'blocked': {
      const person = await app.store.findPerson('telegram', decoded.address);
      if (person) await app.store.markUnreachable(person.id, 'blocked the bot on Telegram');
      app.log.info({ channel: 'telegram', personId: person?.id }, 'telegram: person blocked the bot');
      break;
    }
    case 'ignored':
    case 'rejected':
      app.log.info({ channel: 'telegram', outcome: decoded.kind, reason: decoded.reason }, 'telegram: update not handled');
      break;
  }
  return decoded;
}

/** The webhook route. Without the right secret header: 401, nothing read further, nothing stored. */
export function telegramWebhook(app: ChannelPorts, secret: string): RouteMounter {
  return (web) => {
    web.post('/webhooks/telegram', limitBody(MAX_BODY), async (c) => {
      if (!sameSecret(c.req.header('X-Telegram-Bot-Api-Secret-Token'), secret)) {
        app.log.warn({ channel: 'telegram' }, 'telegram: webhook without the right secret token rejected');
        return c.json({ error: 'unauthorized' }, 401);
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        app.log.warn({ channel: 'telegram' }, 'telegram: webhook body is not JSON');
        return c.json({ error: 'the body must be JSON' }, 400);
      }
      try {
        const decoded = await acceptTelegramUpdate(app, body);
        // A signed update we cannot use will not get better when redelivered: acknowledge it.
        return c.json({ ok: true, outcome: decoded.kind });
      } catch (err) {
        app.log.error({ channel: 'telegram', err: errorMessage(err) }, 'telegram: could not store an update');
        return c.json({ error: 'temporarily unavailable' }, 503);
      }
    });
  };
}

/**
 * Long polling for a laptop with no public URL (TELEGRAM_WEBHOOK_SECRET unset). The runner fetches
 * updates and confirms them only after `acceptTelegramUpdate` returned, so nothing is lost on a crash.
 */
export function startTelegramPolling(app: ChannelPorts, token: string, apiRoot: string): RunnerHandle {
  const bot = new GrammyBot(token, { client: { apiRoot: apiRoot.replace(/\/+$/, '') } });
  bot.use(async (ctx) => {
    await acceptTelegramUpdate(app, ctx.update);
  });
  bot.catch((err) => app.log.error({ channel: 'telegram', err: err.message }, 'telegram: polling update failed'));
  return run(bot, { runner: { fetch: { allowed_updates: [...TELEGRAM_UPDATES] } } });
}
