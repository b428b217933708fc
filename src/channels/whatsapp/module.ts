/**
 * The WhatsApp channel module: on when WHATSAPP_ACCESS_TOKEN is set (the configuration then requires
 * the phone number id, app secret and verify token); Meta's webhook at `/webhooks/whatsapp`.
 */
import type { ChannelModule } from '../module.js';
import { whatsappWebhook } from './webhook.js';
import { WhatsAppAdapter } from './whatsapp-adapter.js';

export const whatsappChannel: ChannelModule = {
  id: 'whatsapp',
  broadcasts: true,
  setup({ config, store, translator, clock }) {
    const wa = config.whatsapp;
    const { accessToken, phoneNumberId, appSecret, verifyToken } = wa;
    if (!accessToken || !phoneNumberId) return undefined;
    return {
      adapter: () =>
        new WhatsAppAdapter({
          accessToken,
          phoneNumberId,
          apiUrl: wa.apiUrl,
          rate: { perSecond: wa.ratePerSecond },
          template: wa.templateName ? { name: wa.templateName, language: wa.templateLanguage } : undefined,
          lastInboundAt: async (personId) => (await store.getPerson(personId))?.lastInboundAt ?? null,
          now: () => clock.now(),
          words: (lang) => {
            const t = translator.for(lang);
            return { listButton: t('channels:list.button'), more: t('channels:list.more'), moreDescription: t('channels:list.moreDescription') };
          },
        }),
      routes: (ports) => (appSecret && verifyToken ? [whatsappWebhook(ports, { appSecret, verifyToken, phoneNumberId })] : []),
      describe: () => 'webhook at /webhooks/whatsapp',
    };
  },
};
