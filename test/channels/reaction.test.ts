import { describe, expect, it } from 'vitest';
import { answerTarget } from '../../src/channels/feedback.js';
import { feedbackOf } from '../../src/channels/reaction.js';
import { BSUID } from '../../src/channels/whatsapp/decode.js';
import { bsuidRecipient } from '../../src/channels/whatsapp/whatsapp-adapter.js';

describe('what a reaction says', () => {
  it('👍 and ❤️ in any skin tone or presentation are useful, 👎 is not, a removed one withdraws, others say nothing', () => {
    for (const e of ['👍', '👍🏻', '👍🏿', '❤', '❤️']) expect(feedbackOf(e), e).toBe(true);
    for (const e of ['👎', '👎🏽']) expect(feedbackOf(e), e).toBe(false);
    expect(feedbackOf(undefined)).toBeNull();
    expect(feedbackOf('')).toBeNull();
    for (const e of ['😂', '🙏', '🔥', '👍👎x']) expect(feedbackOf(e), e).toBeUndefined();
  });

  it('names what the answer was about from its turn’s events', () => {
    const ev = (type: string, data: Record<string, unknown> = {}) => ({ type, data });
    expect(answerTarget('bot', [ev('message_in'), ev('knowledge_deeplink', { space: 'x' }), ev('knowledge_space', { space: 'millepiani' })])).toBe('space:millepiani');
    expect(answerTarget('bot', [ev('knowledge_topic', { topic: 'cost' })])).toBe('explainer:cost');
    expect(answerTarget('bot', [ev('knowledge_events', { found: 3 })])).toBe('events');
    expect(answerTarget('bot', [ev('flow_step', { flow: 'incubation', step: 'idea' })])).toBe('flow:incubation');
    expect(answerTarget('bot', [ev('command', { command: 'menu' })])).toBe('command:menu');
    expect(answerTarget('bot', [ev('message_in')])).toBe('other');
    expect(answerTarget('facilitator:12', [ev('knowledge_space', { space: 'x' })])).toBe('person');
    // Never free text: a long or odd value is not used as a key.
    expect(answerTarget('bot', [ev('knowledge_space', { space: 'x'.repeat(200) })])).toBe('other');
  });
});

describe('sends by business-scoped user id', () => {
  it('recognises BSUIDs and parent BSUIDs, not phone numbers', () => {
    for (const id of ['US.13491208655302741918', 'IT.1146279035586609481', 'BR.1502576394655843', 'US.ENT.11815799212886844830']) expect(BSUID.test(id), id).toBe(true);
    for (const id of ['13491208655302741918', 'us.123', 'USA.123', 'US.', 'US.12 34', `US.${'1'.repeat(129)}`]) expect(BSUID.test(id), id).toBe(false);
  });

  it('moves a BSUID from `to` to `recipient`, and leaves a phone number and anything else alone', () => {
    const text = { messaging_product: 'whatsapp', type: 'text', text: { body: 'hi' } };
    expect(JSON.parse(bsuidRecipient(JSON.stringify({ ...text, to: 'IT.1146279035586609481' })))).toEqual({ ...text, recipient_type: 'individual', recipient: 'IT.1146279035586609481' });
    const phone = JSON.stringify({ ...text, to: '393331234567' });
    expect(bsuidRecipient(phone)).toBe(phone);
    for (const other of ['not json', '[1,2]', 'null', '{"to":5}']) expect(bsuidRecipient(other)).toBe(other);
  });
});
