/**
 * Done-when for issue 4: simulated conversations in each of the 16 languages are answered in that
 * language from the first reply on (no platform hint), and switching language by name, by button and
 * by writing in another language works and persists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator, type OutputLine } from '../../src/cli/simulate.js';
import { localesDir } from '../../src/i18n/i18n.js';
import { languageCodes, languages, scriptOf } from '../../src/i18n/languages.js';
import { testConfig } from '../helpers.js';

type Reply = Extract<OutputLine, { user: string }>;
interface Core extends Record<string, string | Record<string, string>> {
  welcome: string;
  privacyNotice: string;
  languageChange: string;
  languageSet: string;
  languageAsk: string;
  notUnderstood: string;
  menu: Record<string, string>;
}
const core = (lang: string) => JSON.parse(readFileSync(join(localesDir, lang, 'core.json'), 'utf8')) as Core;
const understandStrings = (lang: string) => JSON.parse(readFileSync(join(localesDir, lang, 'understand.json'), 'utf8')) as { thanks: string };

/** A natural first message, the way someone new might write to the bot. */
const firstMessages: Record<string, string> = {
  it: 'Buongiorno, vorrei sapere dove posso lavorare a Roma',
  en: 'Hi, I am looking for a place to work in Rome',
  fr: 'Bonjour, je cherche un endroit pour travailler à Rome',
  es: 'Hola, busco un sitio para trabajar en Roma',
  ar: 'مرحبا، أبحث عن مكان للعمل في روما',
  fa: 'سلام، دنبال یک جا برای کار کردن در رم هستم',
  ps: 'سلام، زه په روم کې د کار لپاره یو ځای لټوم',
  ur: 'السلام علیکم، میں روم میں کام کرنے کی جگہ ڈھونڈ رہا ہوں',
  bn: 'হ্যালো, আমি রোমে কাজ করার জায়গা খুঁজছি',
  uk: 'Привіт, я шукаю місце для роботи в Римі',
  ru: 'Здравствуйте, я ищу место для работы в Риме',
  ti: 'ሰላም፣ ኣብ ሮማ ዝሰርሓሉ ቦታ እደሊ ኣለኹ',
  so: 'Salaan, waxaan raadinayaa meel aan ka shaqeeyo oo Rome ku taal',
  zh: '你好，我想在罗马找一个工作的地方',
  tl: 'Kumusta po, naghahanap ako ng lugar para magtrabaho sa Roma',
  ro: 'Bună ziua, caut un loc unde să lucrez în Roma',
};

let sim: Simulator;
const send = async (input: Record<string, unknown>): Promise<Reply> => {
  const out = await sim.line(JSON.stringify(input));
  if ('error' in out) throw new Error(out.error);
  return out;
};

beforeAll(async () => {
  sim = await Simulator.create({ config: testConfig() });
});
afterAll(async () => {
  await sim.close();
});

/** What the bot says, in that language, when nobody could answer: not understood, no answer, or (a second miss) the offer of a person. */
function notAnswered(lang: string): string[] {
  const read = (ns: string) => JSON.parse(readFileSync(join(localesDir, lang, `${ns}.json`), 'utf8'));
  return [core(lang).notUnderstood, read('knowledge').answer.noAnswer, read('handoff').offer];
}

/** A reply without the invisible bidi marks the renderer adds in right-to-left languages. */
const plain = (s: string | undefined) => s?.replace(/[\u200E\u200F\u2066-\u2069]/g, '');

describe('the first reply is in the person’s language', () => {
  it('has a first message for each of the 16 languages', () => {
    expect(Object.keys(firstMessages).sort()).toEqual([...languageCodes].sort());
  });

  it.each(languageCodes)('%s: detected from the first message, without a platform hint', async (lang) => {
    const out = await send({ user: `first-${lang}`, text: firstMessages[lang] });
    expect(out.lang).toBe(lang);
    const strings = core(lang);
    const [welcome, ...rest] = out.replies;
    expect(plain(welcome!.text)).toBe(`${strings.welcome}\n\n${strings.privacyNotice}`);
    // A one-tap way to change a guessed language, labelled in that language.
    expect(welcome!.choices).toEqual([{ id: 'cmd:language', label: strings.languageChange }]);
    for (const r of [welcome!, ...rest]) if (scriptOf(lang) && r.text) expect(r.text, `${lang}: ${r.text}`).toMatch(scriptOf(lang)!);
    // The next message, even a short one, stays in that language: "ok" is thanks, answered in it.
    const next = await send({ user: `first-${lang}`, text: 'ok' });
    expect(next.lang).toBe(lang);
    expect(plain(next.replies[0]!.text)).toBe(understandStrings(lang).thanks);
  });

  it('uses the platform hint for a greeting too short to detect', async () => {
    const out = await send({ user: 'hint-bn', text: 'hi', lang: 'bn-BD' });
    expect(out.lang).toBe('bn');
    expect(out.replies[0]!.text).toContain(core('bn').welcome);
    // After a greeting the menu follows; its last button changes the language.
    expect(out.replies[1]!.choices!.at(-1)).toEqual({ id: 'cmd:language', label: core('bn').menu.language });
  });

  it('cannot tell from "👍": welcome in the default language, then the picker in each language’s own script', async () => {
    const out = await send({ user: 'thumb', text: '👍' });
    expect(out.lang).toBe('en');
    expect(out.replies[0]!.text).toContain(core('en').welcome);
    expect(out.replies[1]!.text).toBe(core('en').languageAsk);
    expect(out.replies[1]!.choices).toEqual(languages.map((l) => ({ id: `lang:${l.code}`, label: l.nativeName })));
    const picked = await send({ user: 'thumb', choice: 'lang:ps' });
    expect(picked.lang).toBe('ps');
    expect(picked.replies[0]!.text).toBe(core('ps').languageSet);
  });
});

describe('switching language', () => {
  it.each([
    ['English please', 'en'],
    ['بالعربية', 'ar'],
    ['українською', 'uk'],
    ['in italiano', 'it'],
    ['en français', 'fr'],
    ['по-русски', 'ru'],
    ['بالفارسی', 'fa'],
    ['中文', 'zh'],
    ['ብትግርኛ', 'ti'],
    ['Af Soomaali', 'so'],
    ['বাংলায়', 'bn'],
    ['اردو میں', 'ur'],
    ['په پښتو', 'ps'],
    ['Tagalog po', 'tl'],
    ['în română', 'ro'],
    ['español por favor', 'es'],
  ])('by name: %s → %s, at once and remembered', async (text, lang) => {
    const user = `name-${lang}`;
    await send({ user, text: 'hello' });
    const out = await send({ user, text });
    expect(out.lang).toBe(lang);
    expect(out.replies[0]!.text).toBe(core(lang).languageSet);
    // Remembered: a message in another language does not undo an explicit choice.
    const later = await send({ user, text: 'I would like to find a quiet place to study near the station' });
    expect(later.lang).toBe(lang);
  });

  it('by button, remembered over detection', async () => {
    await send({ user: 'button', text: 'Hi, I am looking for a place to work in Rome' });
    const menu = await send({ user: 'button', choice: 'cmd:language' });
    expect(menu.replies[0]!.choices).toHaveLength(16);
    const set = await send({ user: 'button', choice: 'lang:ti' });
    expect(set.lang).toBe('ti');
    expect(set.replies[0]!.text).toBe(core('ti').languageSet);
    const later = await send({ user: 'button', text: 'Thank you, where can I find a free desk this week?' });
    expect(later.lang).toBe('ti');
  });

  it('by writing in another language, when the language was only guessed', async () => {
    const first = await send({ user: 'writer', text: 'سلام، دنبال یک جا برای کار کردن در رم هستم' });
    expect(first.lang).toBe('fa');
    const french = await send({ user: 'writer', text: 'Excusez-moi, je préfère écrire en français maintenant' });
    expect(french.lang).toBe('fr');
    // Read as a request for French: switched and said so, in French.
    expect(french.replies[0]!.text).toBe(core('fr').languageSet);
    const after = await send({ user: 'writer', sticker: true });
    expect(after.lang).toBe('fr');
  });

  it('a platform hint gives way to a message confidently in another language', async () => {
    const out = await send({ user: 'hinted', text: 'Я ищу тихое место, чтобы учиться в Риме', lang: 'en' });
    expect(out.lang).toBe('ru');
  });

  it('short messages never flip the language', async () => {
    await send({ user: 'short', text: 'مرحبا، أبحث عن مكان للعمل في روما' });
    for (const text of ['ok', 'hi', '👍', 'grazie', 'thanks', 'merci', 'да']) {
      const out = await send({ user: 'short', text });
      expect(out.lang, text).toBe('ar');
    }
  });

  it('switches in the middle of anything, even with a language name in another script', async () => {
    await send({ user: 'mixed', text: 'Bonjour, je cherche un endroit pour travailler à Rome' });
    const out = await send({ user: 'mixed', text: 'Українська' });
    expect(out.lang).toBe('uk');
    const back = await send({ user: 'mixed', text: 'French' });
    expect(back.lang).toBe('fr');
  });
});

describe('while a person answers (handoff)', () => {
  it('the language command and the picker still work, without the bot menu', async () => {
    await send({ user: 'handoff', text: 'Hi, I am looking for a place to work in Rome' });
    const person = await sim.app.store.findPerson('web', 'sim:handoff');
    await sim.app.store.setMode(person!.id, 'human', new Date());
    expect((await send({ user: 'handoff', text: 'Can someone help me with my CV please?' })).replies).toEqual([]);
    const picker = await send({ user: 'handoff', text: 'language' });
    expect(picker.replies[0]!.choices).toHaveLength(16);
    const set = await send({ user: 'handoff', choice: 'lang:so' });
    expect(set.lang).toBe('so');
    expect(set.replies).toEqual([{ text: core('so').languageSet }]);
    expect(set.handoff).toBe(true);
  });
});
