/**
 * The intent model's cache format (src/understand/model.ts): read back, it scores every text exactly
 * as the model that was trained (same features found, same weights), and bytes of another format are
 * refused (the caller trains again) instead of being misread.
 */
import { describe, expect, it } from 'vitest';
import { LinearIntentModel, type Example } from '../src/understand/model.js';

const examples: Example[] = [
  { text: 'hello there', intent: 'greeting' },
  { text: 'ciao a tutti', intent: 'greeting' },
  { text: 'سلام علیکم', intent: 'greeting' },
  { text: 'thank you so much', intent: 'thanks' },
  { text: 'grazie mille', intent: 'thanks' },
  { text: 'I need a quiet place to work with wifi', intent: 'find_space' },
  { text: 'cerco uno spazio per lavorare vicino a Termini', intent: 'find_space' },
  { text: '附近有共享办公空间吗', intent: 'find_space' },
  { text: 'what events are there this weekend', intent: 'events' },
  { text: 'I want to talk to a person', intent: 'human' },
];

describe('the intent model cache', () => {
  const trained = LinearIntentModel.train(examples, { epochs: 3 });
  const bytes = trained.serialize();
  const read = LinearIntentModel.deserialize(bytes);

  it('reads back a model that scores exactly as the trained one', () => {
    expect(read).toBeDefined();
    expect(read!.size).toBe(trained.size);
    const texts = [...examples.map((e) => e.text), 'hello, a place to work near Termini?', 'unknown words only: zzzz qqqq', '', '共享', 'ok'];
    for (const text of texts) expect(read!.classify(text)).toEqual(trained.classify(text));
  });

  it('writes the same bytes again from the model read back', () => {
    expect(read!.serialize().equals(bytes)).toBe(true);
  });

  it('reads bytes that do not start at a 4-byte boundary', () => {
    const shifted = Buffer.alloc(bytes.length + 1);
    bytes.copy(shifted, 1);
    const copy = LinearIntentModel.deserialize(shifted.subarray(1));
    expect(copy?.classify('grazie mille')).toEqual(trained.classify('grazie mille'));
  });

  it('refuses bytes of another format or cut short', () => {
    expect(LinearIntentModel.deserialize(Buffer.from('not a model'))).toBeUndefined();
    expect(LinearIntentModel.deserialize(bytes.subarray(0, bytes.length - 2))).toBeUndefined();
    const other = Buffer.from(bytes);
    other.writeUInt32LE(0x31495743, 0); // another format's mark
    expect(LinearIntentModel.deserialize(other)).toBeUndefined();
  });
});
