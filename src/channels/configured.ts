/**
 * The Telegram and WhatsApp channels the configuration turns on (a channel is on when its token is
 * set), and the webhook routes they need.
 */
import type { ChannelPorts } from './ports.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/i18n.js';
import type { Store } from '../storage/store.js';
import type { RouteMounter } from '../web/routes.js';
import type { ChannelAdapter } from './channel.js';
import { TelegramAdapter } from './telegram/telegram-adapter.js';
import { telegramWebhook } from './telegram/webhook.js';
import { WhatsAppAdapter } from './whatsapp/whatsapp-adapter.js';
import { whatsappWebhook } from './whatsapp/webhook.js';

/** Adapters for the channels whose tokens are set. */
export function configuredChannels(config: Config, deps: { store: Store; translator: Translator; clock: Clock }): ChannelAdapter[] {
  const out: ChannelAdapter[] = [];
  const tg = config.telegram;
  if (tg.token) {
    out.push(new TelegramAdapter({ token: tg.token, apiRoot: tg.apiRoot, rate: { perSecond: tg.ratePerSecond, perAddress: tg.ratePerChat } }));
  }
  const wa = config.whatsapp;
  if (wa.accessToken && wa.phoneNumberId) {
    out.push(
      new WhatsAppAdapter({
        accessToken: wa.accessToken,
        phoneNumberId: wa.phoneNumberId,
        apiUrl: wa.apiUrl,
        rate: { perSecond: wa.ratePerSecond },
        template: wa.templateName ? { name: wa.templateName, language: wa.templateLanguage } : undefined,
        lastInboundAt: async (personId) => (await deps.store.getPerson(personId))?.lastInboundAt ?? null,
        now: () => deps.clock.now(),
        words: (lang) => {
          const t = deps.translator.for(lang);
          return { listButton: t('channels:list.button'), more: t('channels:list.more'), moreDescription: t('channels:list.moreDescription') };
        },
      }),
    );
  }
  return out;
}

/** Webhook routes for the configured channels (Telegram only in webhook mode, i.e. with a secret). */
export function channelMounts(app: ChannelPorts): RouteMounter[] {
  const mounts: RouteMounter[] = [];
  const { telegram, whatsapp } = app.config;
  if (telegram.token && telegram.webhookSecret) mounts.push(telegramWebhook(app, telegram.webhookSecret));
  if (whatsapp.accessToken && whatsapp.appSecret && whatsapp.verifyToken) {
    mounts.push(whatsappWebhook(app, { appSecret: whatsapp.appSecret, verifyToken: whatsapp.verifyToken, phoneNumberId: whatsapp.phoneNumberId }));
  }
  return mounts;
}
