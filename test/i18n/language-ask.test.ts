/**
 * The bot asks which language when a first message could be several ("salam", "سلام"): the likely
 * languages as buttons, each in its own script, plus "other languages"; after the answer the
 * waiting message is answered in that language. An established conversation keeps its language on
 * short messages and changes on another script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator, type OutputLine } from '../../src/cli/simulate.js';
import { localesDir } from '../../src/i18n/i18n.js';
import { finishText } from '../../src/i18n/bidi.js';
import { decideLanguage } from '../../src/i18n/decide.js';
import { getLanguage } from '../../src/i18n/languages.js';
import { testConfig } from '../helpers.js';

type Reply = Extract<OutputLine, { user: string }>;
const read = (lang: string, ns: string) => JSON.parse(readFileSync(join(localesDir, lang, `${ns}.json`), 'utf8'));

let sim: Simulator;
const send = async (input: Record<string, unknown>): Promise<Reply> => {
  const out = await sim.line(JSON.stringify(input));
  if ('error' in out) throw new Error(out.error);
  return out;
};

beforeAll(async () => {
  sim = await Simulator.create({ config: testConfig() });
});
afterAll(async () => sim.close());

describe('asking which language', () => {
  it('asks on an ambiguous greeting, one line and one button per likely language', async () => {
    const out = await send({ user: 'salam', text: 'سلام' });
    expect(out.replies).toHaveLength(1);
    const [ask] = out.replies;
    const codes = ['fa', 'ar', 'ur', 'ps'];
    expect(ask!.text).toBe(codes.map((c) => read(c, 'langask').question).join('\n'));
    expect(ask!.choices).toEqual([...codes.map((c) => ({ id: `lang:${c}:ask`, label: getLanguage(c)!.nativeName })), { id: 'cmd:language', label: `🌐 ${read('fa', 'langask').other}` }]);
    // Nothing is stored yet: the person has not said.
    const person = await sim.app.store.findPerson('web', 'sim:salam');
    expect(person!.language).toBeNull();
  });

  it('after the answer, greets the new person in that language (the waiting greeting gets the welcome)', async () => {
    const out = await send({ user: 'salam', choice: 'lang:ur:ask' });
    expect(out.lang).toBe('ur');
    expect(out.replies[0]!.text).toContain(read('ur', 'core').welcome);
    const person = await sim.app.store.findPerson('web', 'sim:salam');
    expect(person).toMatchObject({ language: 'ur', languageSource: 'explicit' });
    // Short messages later stay in Urdu.
    expect((await send({ user: 'salam', text: 'ok' })).lang).toBe('ur');
  });

  it('answers the waiting question, not only the welcome', async () => {
    const first = await send({ user: 'q', text: 'salam, wifi Termini?' });
    expect(first.replies[0]!.choices!.some((c) => c.id === 'lang:ar:ask')).toBe(true);
    const out = await send({ user: 'q', choice: 'lang:ar:ask' });
    expect(out.lang).toBe('ar');
    // As sent to an Arabic reader: with its direction marks (src/i18n/bidi.ts).
    expect(out.replies[0]!.text).toContain(finishText(read('ar', 'core').welcome, 'ar'));
    // Then the question itself: spaces near Termini, in Arabic.
    const rest = out.replies
      .slice(1)
      .map((r) => r.text ?? '')
      .join('\n');
    expect(rest).toContain(read('ar', 'knowledge').spaces.nearPlace.replace('{{place}}', '\u2068Termini\u2069'));
  });

  it('"other languages" opens the full picker, and a language chosen there answers the waiting message', async () => {
    await send({ user: 'other', text: 'salam' });
    const picker = await send({ user: 'other', choice: 'cmd:language' });
    expect(picker.replies[0]!.choices).toHaveLength(16);
    const out = await send({ user: 'other', choice: 'lang:so' });
    expect(out.lang).toBe('so');
    expect(out.replies[0]!.text).toContain(read('so', 'core').welcome);
  });

  it('a person who writes again instead of answering is answered in the language of the new message', async () => {
    await send({ user: 'ignore', text: 'salam' });
    const out = await send({ user: 'ignore', text: 'Hello, I am looking for a quiet place to study near Termini' });
    expect(out.lang).toBe('en');
    expect(out.replies[0]!.text).toContain(read('en', 'core').welcome);
    expect(out.replies.some((r) => r.choices?.some((c) => c.id.startsWith('lang:')))).toBe(false);
  });

  it('never holds back a message about danger: it is answered at once', async () => {
    const text = 'salam ambulance';
    // The words alone would be asked about…
    expect(decideLanguage(text, { established: false, fallback: 'en' }).ask).toBeDefined();
    const out = await send({ user: 'danger', text });
    // …but the emergency numbers come at once, no question first.
    expect(out.replies.some((r) => r.choices?.some((c) => c.id.endsWith(':ask')))).toBe(false);
    expect(out.handoff).toBe(true);
  });

  it('never asks while a person answers the conversation', async () => {
    await send({ user: 'human', text: '👍' }); // nothing told about the language
    const person = await sim.app.store.findPerson('web', 'sim:human');
    expect(person!.language).toBeNull();
    await sim.app.store.setMode(person!.id, 'human', new Date());
    const out = await send({ user: 'human', text: 'سلام' });
    expect(out.replies).toEqual([]); // the facilitator reads it; the bot stays silent
  });

  it('answers Arabic typed in Latin letters in Arabic, without asking (once asked with Tagalog first)', async () => {
    const out = await send({ user: 'darija', text: 'salam, chno howa coworking?' });
    expect(out.lang).toBe('ar');
    expect(out.replies.some((r) => r.choices?.some((c) => c.id.endsWith(':ask')))).toBe(false);
    // In Arabic script, with the welcome's "change language" button (the guess is not certain).
    expect(out.replies[0]!.text).toContain(finishText(read('ar', 'core').welcome, 'ar'));
    expect(out.replies[0]!.choices?.map((c) => c.id)).toContain('cmd:language');
  });

  it('uses the platform language when it is one of the likely ones', async () => {
    const out = await send({ user: 'hinted', text: 'salam', lang: 'bn-BD' });
    expect(out.lang).toBe('bn');
    expect(out.replies[0]!.text).toContain(read('bn', 'core').welcome);
  });
});

describe('an established conversation', () => {
  it('keeps English on "delete my data"', async () => {
    await send({ user: 'english', text: 'Hello, I am looking for a quiet place to study near Termini' });
    const out = await send({ user: 'english', text: 'delete my data' });
    expect(out.lang).toBe('en');
  });

  it('Bengali letters correct a wrong guess (Tagalog from the platform)', async () => {
    const first = await send({ user: 'bengali', text: 'hi', lang: 'tl' });
    expect(first.lang).toBe('tl');
    const out = await send({ user: 'bengali', text: 'আমি টার্মিনির কাছে কাজের জায়গা খুঁজছি' });
    expect(out.lang).toBe('bn');
    expect(out.replies.map((r) => r.text ?? '').join('\n')).toContain(read('bn', 'knowledge').spaces.nearPlace.replace('{{place}}', 'Termini'));
  });
});
