/**
 * The channel registry: one line per messaging platform (its module, in its own folder). The app,
 * the assembly, the broadcast engine, `coworkbot start` and the CLI's command list iterate this list; nothing else names a
 * platform to turn it on. The order is the broadcasts' order of preference.
 *
 * The web chat is not a module: it is always on, its API belongs to the web server (per-client
 * limits, trusted proxies) and the App exposes it to the chat API as `app.web`.
 */
import type { ChannelModule } from './module.js';
import { telegramChannel } from './telegram/module.js';
import { whatsappChannel } from './whatsapp/module.js';

export type { ChannelCommand, ChannelContext, ChannelModule, ChannelReceiver, ChannelSetup } from './module.js';

export const channelModules: readonly ChannelModule[] = [telegramChannel, whatsappChannel];
