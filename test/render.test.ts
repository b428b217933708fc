import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../src/channels/channel.js';
import { matchNumberedChoice, render, shorten, splitText } from '../src/core/render.js';

describe('splitText', () => {
  it('keeps every character and splits at sentence boundaries', () => {
    const sentence = 'This is one sentence about coworking. ';
    const text = sentence.repeat(300).trim();
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('splits text with no spaces at the limit', () => {
    const parts = splitText('x'.repeat(9000), 4096);
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 808]);
  });

  it('splits Arabic at its question mark', () => {
    const s = 'هل يوجد مكان قريب مني؟ ';
    const parts = splitText(s.repeat(400), 4096);
    expect(parts[0]!.endsWith('؟')).toBe(true);
  });
});

describe('shorten', () => {
  it('cuts at a word boundary with an ellipsis', () => {
    expect(shorten('Talk to a person now please', 20)).toBe('Talk to a person…');
    expect(shorten('Short', 20)).toBe('Short');
  });
  it('never splits a grapheme', () => {
    const s = shorten('👩‍👩‍👧‍👦'.repeat(30), 10);
    expect([...s].length).toBeLessThanOrEqual(10);
    expect(s).toBe('👩‍👩‍👧‍👦…');
    expect(s.endsWith('…')).toBe(true);
  });
  it('works in Bengali and Arabic', () => {
    expect([...shorten('একটি কাজের জায়গা খুঁজুন আপনার কাছাকাছি', 20)].length).toBeLessThanOrEqual(20);
    expect(shorten('تحدث مع شخص حقيقي الآن من فضلك', 20)).toMatch(/…$/);
  });
});

describe('render', () => {
  const choices = Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, label: `Option ${i + 1}` }));

  it('keeps buttons that fit', () => {
    const [m] = render({ text: 'Pick one', choices }, capabilitiesOf.web);
    expect(m!.choices).toHaveLength(5);
  });

  it('turns choices into a numbered list when the channel has no buttons', () => {
    const out = render({ text: 'Pick one', choices }, capabilitiesOf.terminal);
    expect(out).toHaveLength(1);
    expect(out[0]!.choices).toBeUndefined();
    expect(out[0]!.text).toBe('Pick one\n\n1. Option 1\n2. Option 2\n3. Option 3\n4. Option 4\n5. Option 5');
  });

  it('puts choices on the last part of a long text', () => {
    const out = render({ text: 'A sentence. '.repeat(500), choices: choices.slice(0, 2) }, capabilitiesOf.telegram);
    expect(out.length).toBeGreaterThan(1);
    expect(out.slice(0, -1).every((m) => !m.choices)).toBe(true);
    expect(out.at(-1)!.choices).toHaveLength(2);
  });

  it('sends a place as text with a map link where locations are not supported', () => {
    const out = render({ place: { name: 'Millepiani', address: 'Via Nicolò Odero 13', lat: 41.86, lng: 12.48 } }, capabilitiesOf.terminal);
    expect(out[0]!.text).toContain('openstreetmap.org/?mlat=41.86000&mlon=12.48000');
  });

  it('fits choice ids to the channel byte limit', () => {
    const [m] = render({ text: 'x', choices: [{ id: 'k:' + 'é'.repeat(60), label: 'L' }] }, capabilitiesOf.telegram);
    expect(Buffer.byteLength(m!.choices![0]!.id)).toBeLessThanOrEqual(64);
  });
});

describe('matchNumberedChoice', () => {
  const offered = [
    { id: 'a', label: 'A' },
    { id: 'b', label: 'B' },
  ];
  it('reads numbers in any script', () => {
    expect(matchNumberedChoice('2', offered)?.id).toBe('b');
    expect(matchNumberedChoice('٢', offered)?.id).toBe('b');
    expect(matchNumberedChoice('۱', offered)?.id).toBe('a');
    expect(matchNumberedChoice('২', offered)?.id).toBe('b');
    expect(matchNumberedChoice(' 1. ', offered)?.id).toBe('a');
  });
  it('ignores numbers out of range and other text', () => {
    expect(matchNumberedChoice('3', offered)).toBeUndefined();
    expect(matchNumberedChoice('0', offered)).toBeUndefined();
    expect(matchNumberedChoice('2 people', offered)).toBeUndefined();
  });
});
