/**
 * The Telegram channel module: on when TELEGRAM_BOT_TOKEN is set; a webhook at `/webhooks/telegram`
 * with TELEGRAM_WEBHOOK_SECRET, long polling without it (a laptop with no public URL).
 */
import type { ChannelModule } from '../module.js';
import { telegramCommand } from './command.js';
import { TelegramAdapter } from './telegram-adapter.js';
import { startTelegramPolling, telegramWebhook } from './webhook.js';

export const telegramChannel: ChannelModule = {
  id: 'telegram',
  broadcasts: true,
  command: telegramCommand,
  setup({ config }) {
    const tg = config.telegram;
    const token = tg.token;
    if (!token) return undefined;
    const secret = tg.webhookSecret;
    return {
      adapter: () => new TelegramAdapter({ token, apiRoot: tg.apiRoot, rate: { perSecond: tg.ratePerSecond, perAddress: tg.ratePerChat } }),
      routes: (ports) => (secret ? [telegramWebhook(ports, secret)] : []),
      receive: (ports) => (secret ? undefined : startTelegramPolling(ports, token, tg.apiRoot)),
      describe: (receiving) => (receiving ? 'long polling' : 'webhook at /webhooks/telegram'),
    };
  },
};
