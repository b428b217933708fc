import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { startTelegramPolling } from '../../src/channels/telegram/webhook.js';
import { telegramCommand } from '../../src/channels/telegram/command.js';
import { testConfig } from '../helpers.js';
import { fakeTelegram, fixture, type FakeApi } from './fakes.js';

describe('Telegram long polling and the webhook commands', () => {
  let fake: FakeApi;
  let app: App;
  const env = (root: string) => ({ TELEGRAM_BOT_TOKEN: '123:TEST', TELEGRAM_API_ROOT: root, TELEGRAM_RATE_PER_CHAT: '1000' });
  beforeAll(async () => {
    fake = await fakeTelegram([fixture('telegram/text.json'), fixture('telegram/group-text.json')]).start();
    app = await createApp({ config: testConfig(env(fake.url)), db: { kind: 'memory' }, embeddedQueue: true });
    await app.start(1);
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  it('receives updates by long polling and answers them', async () => {
    const runner = startTelegramPolling(app, '123:TEST', fake.url);
    try {
      const chatId = (fixture('telegram/text.json') as { message: { chat: { id: number } } }).message.chat.id;
      for (let i = 0; i < 100 && !fake.requests.some((r) => r.path.endsWith('/sendMessage')); i++) {
        await app.bot.idle();
        await app.queue.drain(5000);
        await new Promise((r) => setTimeout(r, 50));
      }
      const sends = fake.requests.filter((r) => r.path.endsWith('/sendMessage'));
      expect(sends.length).toBeGreaterThan(0);
      expect(sends.every((s) => s.body.chat_id === chatId)).toBe(true);
      const polls = fake.requests.filter((r) => r.path.endsWith('/getUpdates'));
      expect(polls[0]!.body.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member', 'message_reaction']);
    } finally {
      await runner.stop();
    }
    // The group message was acknowledged and ignored: one person, from the private chat only.
    const rows = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'in'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('set-webhook registers the URL with the secret; delete-webhook removes it', async () => {
    fake.clear();
    const config = testConfig({ ...env(fake.url), TELEGRAM_WEBHOOK_SECRET: 'sekret' });
    expect(await telegramCommand.run(['set-webhook', 'https://bot.example.org/webhooks/telegram'], config)).toBe(0);
    expect(await telegramCommand.run(['delete-webhook'], config)).toBe(0);
    expect(fake.requests.map((r) => [r.path, r.body])).toEqual([
      [
        '/bot123:TEST/setWebhook',
        { url: 'https://bot.example.org/webhooks/telegram', secret_token: 'sekret', allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member', 'message_reaction'] },
      ],
      ['/bot123:TEST/deleteWebhook', {}],
    ]);
    // Without a secret the webhook would accept anyone: refused.
    expect(await telegramCommand.run(['set-webhook', 'https://bot.example.org/webhooks/telegram'], testConfig(env(fake.url)))).toBe(2);
  });
});
