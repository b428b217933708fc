/**
 * `GET /webhooks/whatsapp`: Meta's verification handshake. `POST /webhooks/whatsapp`: messages and
 * statuses, accepted only with a valid `X-Hub-Signature-256` over the raw body (constant-time
 * compare). Messages are stored through `bot.receive` before we answer 200; statuses update our
 * stored outbound messages (never backwards). Bodies are never logged.
 */
import type { ChannelPorts } from '../ports.js';
import type { InboundMessage, OutboundMessage } from '../../core/types.js';
import { DeliveryStore } from '../../storage/delivery-store.js';
import type { RouteMounter } from '../../web/routes.js';
import { acceptReaction } from '../feedback.js';
import { limitBody, sameSecret, validHubSignature } from '../webhook-util.js';
import { decodeWhatsAppWebhook, type WhatsAppDecoded } from './decode.js';
import { MORE_PREFIX, PAGE_SIZE } from './encode.js';
import { errorMessage } from '../../logger.js';

/** Meta's documented maximum webhook payload. */
export const MAX_WHATSAPP_BODY = 3 * 1024 * 1024;

export interface WhatsAppWebhookOptions {
  appSecret: string;
  verifyToken: string;
  phoneNumberId?: string;
}

/** Decodes a verified body and hands messages to the core and statuses to the store. Throws only when storing fails. */
export async function acceptWhatsAppWebhook(app: ChannelPorts, body: unknown, phoneNumberId?: string): Promise<WhatsAppDecoded> {
  const decoded = decodeWhatsAppWebhook(body, app.clock.now(), phoneNumberId);
  if (decoded.kind === 'rejected') {
    app.log.info({ channel: 'whatsapp', reason: decoded.reason }, 'whatsapp: webhook not handled');
    return decoded;
  }
  const now = app.clock.now();
  // Identity changes first: a message in the same body already uses the new number.
  for (const change of decoded.identities) {
    const personId = await app.store.replaceAddresses('whatsapp', change, now);
    app.log.info({ channel: 'whatsapp', personId, retired: change.retired.length, added: change.current.length }, 'whatsapp: a person changed identifiers');
  }
  for (const m of decoded.messages) {
    if (!(await sendNextPage(app, m))) await app.bot.receive(m);
  }
  for (const r of decoded.reactions) {
    const outcome = await acceptReaction(app, r);
    app.log.info({ channel: 'whatsapp', outcome }, 'whatsapp: reaction');
  }
  for (const ids of decoded.links) await app.store.linkAddresses('whatsapp', ids, now);
  const delivery = new DeliveryStore(app.db);
  for (const s of decoded.statuses) {
    const error = s.status === 'failed' ? `whatsapp ${s.errorCode ?? '?'}: ${s.errorTitle ?? 'failed'}` : undefined;
    const changed = await delivery.applyStatus('whatsapp', s.externalId, s.status, error);
    if (s.status === 'failed') app.log.warn({ channel: 'whatsapp', code: s.errorCode, changed }, 'whatsapp: a message failed');
  }
  if (decoded.ignored.length > 0) app.log.info({ channel: 'whatsapp', ignored: decoded.ignored.slice(0, 10) }, 'whatsapp: parts of a webhook ignored');
  return decoded;
}

export function whatsappWebhook(app: ChannelPorts, opts: WhatsAppWebhookOptions): RouteMounter {
  return (web) => {
    web.get('/webhooks/whatsapp', (c) => {
      const mode = c.req.query('hub.mode');
      const challenge = c.req.query('hub.challenge');
      if (mode === 'subscribe' && challenge && sameSecret(c.req.query('hub.verify_token'), opts.verifyToken)) {
        return c.text(challenge, 200);
      }
      app.log.warn({ channel: 'whatsapp' }, 'whatsapp: verification with a wrong token rejected');
      return c.json({ error: 'forbidden' }, 403);
    });

    web.post('/webhooks/whatsapp', limitBody(MAX_WHATSAPP_BODY), async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!validHubSignature(c.req.header('X-Hub-Signature-256'), raw, opts.appSecret)) {
        app.log.warn({ channel: 'whatsapp', bytes: raw.length }, 'whatsapp: webhook with a missing or wrong signature rejected');
        return c.json({ error: 'unauthorized' }, 401);
      }
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder().decode(raw));
      } catch {
        app.log.warn({ channel: 'whatsapp' }, 'whatsapp: webhook body is not JSON');
        return c.json({ error: 'the body must be JSON' }, 400);
      }
      try {
        const decoded = await acceptWhatsAppWebhook(app, body, opts.phoneNumberId);
        // A signed body we cannot use will not get better when Meta redelivers it for 7 days: acknowledge it.
        return c.json({ ok: true, outcome: decoded.kind });
      } catch (err) {
        app.log.error({ channel: 'whatsapp', err: errorMessage(err) }, 'whatsapp: could not store a webhook');
        return c.json({ error: 'temporarily unavailable' }, 503);
      }
    });
  };
}

/**
 * The "more" row of a paged list: sends the next page of the stored message it belongs to. Returns
 * false when the tap is not a valid "more" for this person (the core then handles it: a forged or
 * stale id gets the "no longer available" answer). The tap is stored like any message, so a
 * redelivered webhook does not send the page twice. The page is sent with `Outbox.tell`, like every
 * message sent outside a turn.
 */
async function sendNextPage(app: ChannelPorts, m: InboundMessage): Promise<boolean> {
  if (m.content.type !== 'choice' || !m.content.id.startsWith(MORE_PREFIX)) return false;
  const id = Number(m.content.id.slice(MORE_PREFIX.length));
  if (!Number.isSafeInteger(id) || id <= 0) return false;
  let person;
  for (const id of [m.address, ...(m.aliases ?? [])]) if ((person = await app.store.findPerson('whatsapp', id))) break;
  const stored = await app.store.getMessage(id);
  const choices = stored?.direction === 'out' ? (stored.body as OutboundMessage).choices : undefined;
  if (!person || !stored || stored.personId !== person.id || !choices || choices.length <= PAGE_SIZE) return false;
  const inboundId = await app.store.insertInbound(person.id, 'whatsapp', m.externalId, m.content, m.receivedAt);
  if (inboundId === undefined) return true; // already handled
  // Outside a turn: `tell` resolves the language once (the person's, else the configured default).
  const rest = choices.slice(PAGE_SIZE);
  await app.bot.outbox.tell(person.id, 'whatsapp', (t) => [{ text: t('channels:list.nextPage'), choices: rest }], { inReplyTo: inboundId, at: app.clock.now() });
  await app.store.markProcessed(inboundId, app.clock.now());
  return true;
}
