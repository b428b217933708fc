import { Api } from 'grammy';
import type { ChannelCommand } from '../module.js';
import { TELEGRAM_UPDATES } from './webhook.js';
import { errorMessage } from '../../logger.js';

/** `coworkbot telegram set-webhook URL | delete-webhook`: registers the webhook with Telegram. */
export const telegramCommand: ChannelCommand = {
  summary: 'register or remove the Telegram webhook (set-webhook URL | delete-webhook)',
  help: `Usage: coworkbot telegram set-webhook https://bot.example.org/webhooks/telegram
       coworkbot telegram delete-webhook

set-webhook    tells Telegram to POST updates to URL with TELEGRAM_WEBHOOK_SECRET in the
               X-Telegram-Bot-Api-Secret-Token header. Needs TELEGRAM_BOT_TOKEN and the secret.
               Without a URL, PUBLIC_URL + /webhooks/telegram is used.
delete-webhook removes it (then \`coworkbot start\` without a secret uses long polling).`,
  async run(args, config) {
    const [sub, arg] = args;
    const { token, webhookSecret, apiRoot } = config.telegram;
    if (!token) {
      process.stderr.write('TELEGRAM_BOT_TOKEN is not set.\n');
      return 2;
    }
    const api = new Api(token, { apiRoot: apiRoot.replace(/\/+$/, '') });
    try {
      if (sub === 'set-webhook') {
        if (!webhookSecret) {
          process.stderr.write('TELEGRAM_WEBHOOK_SECRET must be set: the webhook rejects requests without it.\n');
          return 2;
        }
        const url = arg ?? (config.server.publicUrl ? `${config.server.publicUrl.replace(/\/+$/, '')}/webhooks/telegram` : undefined);
        if (!url || !/^https?:\/\//.test(url)) {
          process.stderr.write('Give the webhook URL, e.g. coworkbot telegram set-webhook https://bot.example.org/webhooks/telegram\n');
          return 2;
        }
        await api.setWebhook(url, {
          secret_token: webhookSecret,
          allowed_updates: [...TELEGRAM_UPDATES],
        });
        process.stdout.write(`Telegram webhook set to ${url}\n`);
        return 0;
      }
      if (sub === 'delete-webhook') {
        await api.deleteWebhook();
        process.stdout.write('Telegram webhook removed.\n');
        return 0;
      }
    } catch (err) {
      // grammY's error message names the method, never the token.
      process.stderr.write(`Telegram said no: ${errorMessage(err)}\n`);
      return 1;
    }
    process.stderr.write(`${telegramCommand.help}\n`);
    return 2;
  },
};
