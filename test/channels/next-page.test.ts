/**
 * A WhatsApp list's "more" row is answered outside a turn: the next page goes through `Outbox.tell`
 * (the one way to speak outside a turn), so it is written in the person's language, else the
 * configured default (DEFAULT_LANGUAGE), like every other message sent outside a turn.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acceptWhatsAppWebhook } from '../../src/channels/whatsapp/webhook.js';
import { MORE_PREFIX, PAGE_SIZE } from '../../src/channels/whatsapp/encode.js';
import { Simulator } from '../../src/cli/simulate.js';
import type { OutboundMessage } from '../../src/core/types.js';
import { testConfig } from '../helpers.js';
import { whatsappBody } from './fakes.js';

describe('WhatsApp "more" row', () => {
  let sim: Simulator;
  const now = new Date('2026-11-24T18:00:00+01:00');
  const who = '393330000077';
  beforeAll(async () => {
    sim = await Simulator.create({ config: testConfig({ DEFAULT_LANGUAGE: 'it' }), db: { kind: 'memory' }, now });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const tap = (tag: string, id: string) => {
    const b = JSON.parse(whatsappBody('list-reply.json', who, tag));
    b.entry[0].changes[0].value.messages[0].interactive.list_reply.id = id;
    b.entry[0].changes[0].value.messages[0].timestamp = String(Math.floor(now.getTime() / 1000));
    return b as unknown;
  };

  it("sends the next page through tell, in the person's language or the configured default", async () => {
    const { app } = sim;
    const { person } = await app.store.resolvePerson('whatsapp', who, now);
    expect(person.language).toBeNull();
    const choices = Array.from({ length: PAGE_SIZE + 4 }, (_, i) => ({ id: `lang:x${i}`, label: `Option ${i}` }));
    const listId = await app.store.insertOutbound(person.id, 'whatsapp', 'bot', { text: 'Pick one', choices }, null, now, 'sent');
    const tell = vi.spyOn(app.bot.outbox, 'tell');
    const enqueue = vi.spyOn(app.bot.outbox, 'enqueue');
    const receive = vi.spyOn(app.bot, 'receive');
    const lastReply = async (): Promise<OutboundMessage> => {
      const out = (await app.store.history(person.id)).filter((m) => m.direction === 'out');
      return out.at(-1)!.body as OutboundMessage;
    };

    // No language yet: the configured default (Italian), not English.
    await acceptWhatsAppWebhook(app, tap('np-1', `${MORE_PREFIX}${listId}`));
    expect(receive).not.toHaveBeenCalled(); // answered outside a turn
    expect(tell).toHaveBeenCalledTimes(1);
    expect(tell.mock.calls[0]!.slice(0, 2)).toEqual([person.id, 'whatsapp']);
    // Every send of the page went through tell (tell stores with enqueue, in the resolved language).
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(enqueue.mock.calls[0]![3]).toMatchObject({ lang: 'it' });
    let reply = await lastReply();
    expect(reply.text).toBe(sim.app.translator.for('it')('channels:list.nextPage'));
    expect(reply.choices?.map((c) => c.id)).toEqual(choices.slice(PAGE_SIZE).map((c) => c.id));

    // A person with a language: theirs.
    await app.store.setLanguage(person.id, 'en', 'explicit');
    await acceptWhatsAppWebhook(app, tap('np-2', `${MORE_PREFIX}${listId}`));
    expect(tell).toHaveBeenCalledTimes(2);
    expect(enqueue.mock.calls[1]![3]).toMatchObject({ lang: 'en' });
    reply = await lastReply();
    expect(reply.text).toBe('Here are more options:');

    // The same tap delivered again sends nothing more.
    await acceptWhatsAppWebhook(app, tap('np-2', `${MORE_PREFIX}${listId}`));
    expect(tell).toHaveBeenCalledTimes(2);
    expect(receive).not.toHaveBeenCalled();
  });
});
