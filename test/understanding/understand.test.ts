/**
 * The understanding step: the training phrases (loaded, every intent in every language, never a
 * copy of a held-out message), the fixed rules, the safety check without any model, and the model
 * path (structured output, checked, with the offline reading as fallback) against a fake server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../scripts/eval/cases.js';
import { normalizeForMatch } from '../../src/core/text.js';
import { detectSafety } from '../../src/handoff/safety.js';
import { languageCodes } from '../../src/i18n/languages.js';
import { configuredLlm } from '../../src/llm/client.js';
import { intents } from '../../src/understand/intents.js';
import type { IntentClassifier } from '../../src/understand/model.js';
import { offlineUnderstander } from '../../src/understand/offline.js';
import { loadPhrases } from '../../src/understand/phrases.js';
import { Understander } from '../../src/understand/understand.js';
import { fakeChatServer, type ChatReply } from '../fake-openai.js';
import { testConfig } from '../helpers.js';

describe('training phrases (data/intents/)', () => {
  const phrases = loadPhrases();

  it('has every intent in every one of the 16 languages, several hundred phrases per language', () => {
    for (const lang of languageCodes) {
      const mine = phrases.filter((p) => p.lang === lang);
      expect(mine.length, lang).toBeGreaterThanOrEqual(250);
      for (const intent of intents) expect(mine.filter((p) => p.intent === intent).length, `${lang} ${intent}`).toBeGreaterThan(0);
    }
  });

  it('never contains a message of the dev split or of the sealed test split (tuned on / measured, never copied)', () => {
    // Formulas of one to three words ("stop", "main menu", "salam chetori") are written the same way
    // by everyone; anything longer that matches a held-out message was copied.
    const held = new Set(
      [...loadCases('dev'), ...loadCases('test')]
        .map((c) => normalizeForMatch(c.text))
        .filter((t) => t.split(' ').length >= 4),
    );
    const copies = phrases.filter((p) => held.has(normalizeForMatch(p.text)));
    expect(copies.map((p) => `${p.lang}: ${p.text}`)).toEqual([]);
  });
});

describe('the safety check (curated lists, no model)', () => {
  it('catches inflections, dialects and Latin-letter forms', () => {
    const cases: [string, string][] = [
      ['ti', 'ሰብኣያ ይሃርማ ኣሎ'], // he beats her (feminine object)
      ['ti', 'ወናኒ ስራሕ ይወቕዑና'], // they beat us (plural)
      ['ti', 'passportey hizom'], // Latin-letter Tigrinya: they hold my passport
      ['ar', 'جوزي عم يضربني كل يوم'], // Levantine
      ['ar', 'المعلم ماسك باسبوري وما بدو يرجعو'], // took … passport, in two pieces
      ['ar', '3am yedrobni kel yom'], // Arabic in Latin letters, digits for letters
      ['ar', 'bghit nmout'], // Maghrebi
      ['fa', 'کارفرما مزدمه نمیده'], // Dari: my wage
      ['fa', 'shoharam mano mizane'], // Finglish
      ['ur', 'malik tankhwah nahi de raha'], // Roman Urdu
      ['bn', 'malik beton dicche na'], // Banglish
      ['en', 'my madam seize my passport'], // Nigerian Pidgin
      ['uk', 'роботодавець не віддає паспорт'],
      ['ro', 'nu ne-au platit de doua luni'],
      ['so', 'naftayda ayaan dili doonaa'],
    ];
    for (const [lang, text] of cases) expect(detectSafety(text), `${lang}: ${text}`).toBeDefined();
  });

  it('leaves ordinary messages alone', () => {
    for (const text of ['I play the violin in a coworking space', 'si tratta di un progetto per il mio lavoro', 'i need work urgently', 'famma blasa bla flous?', 'she sang a song']) {
      expect(detectSafety(text), text).toBeUndefined();
    }
  });

  it('decides safety even when the model says something else', async () => {
    const blind: IntentClassifier = { classify: () => intents.map((intent) => ({ intent, confidence: intent === 'other' ? 1 : 0 })).sort((a, b) => b.confidence - a.confidence) };
    const u = new Understander({ model: blind }); // no command words, no content: the lists alone
    expect(u.offline('my boss took my passport').intent).toBe('safety');
    expect(u.offline('my boss took my passport').safety).toEqual({ category: 'documents', lang: 'en' });
    expect(u.offline('where is a coworking space').intent).toBe('other');
  });
});

describe('the offline reading', () => {
  let u: Understander;
  beforeAll(async () => {
    u = await offlineUnderstander();
  });

  it('applies the fixed rules first: command words, /start, a language by name', () => {
    expect(u.offline('operatore')).toMatchObject({ intent: 'human', source: 'rule', confidence: 1 });
    expect(u.offline('/start')).toMatchObject({ intent: 'greeting', source: 'rule' });
    expect(u.offline('English please')).toMatchObject({ intent: 'language', entities: { requested_language: 'en' } });
    expect(u.offline('/link 4821')).toMatchObject({ intent: 'other', source: 'rule' });
  });

  it('reads what people write: a person, an idea, papers, a space with its place and services', () => {
    expect(u.offline('I beg, make I talk with somebody').intent).toBe('human');
    expect(u.offline('мені потрібна жива людина').intent).toBe('human');
    expect(u.offline('voglio aprire una sartoria').intent).toBe('incubation');
    expect(u.offline('I need a lawyer for my permesso di soggiorno').intent).toBe('oos_papers');
    expect(u.offline('видаліть мої дані, будь ласка').intent).toBe('privacy_delete');
    const space = u.offline('is there a free place near Termini with wifi?');
    expect(space).toMatchObject({ intent: 'find_space', entities: { place: 'Termini', price: 'free', services: ['wifi'] } });
    expect(u.offline('what should I bring the first time?').intent).toBe('explain');
  });

  it('a greeting with a request after it is the request', () => {
    expect(u.offline('Hi, I am looking for a place to work in Rome').intent).toBe('find_space');
    expect(u.offline('السلام عليكم ورحمة الله وبركاته').intent).toBe('greeting');
  });

  it('gives language evidence from the detector', () => {
    expect(u.offline('Здравствуйте, я ищу место для работы в Риме').language).toMatchObject({ lang: 'ru' });
  });
});

describe('with a model configured (fake server on 127.0.0.1)', () => {
  let fake: Awaited<ReturnType<typeof fakeChatServer>>;
  let reply: (user: string) => ChatReply | Promise<ChatReply> = () => ({ content: '{}' });
  let u: Understander;

  beforeAll(async () => {
    fake = await fakeChatServer(({ user }) => reply(user));
    const llm = configuredLlm(testConfig({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test-secret' }))!;
    u = await offlineUnderstander({ llm, llmTimeoutMs: 500 });
  });
  afterAll(async () => {
    await new Promise<void>((r) => fake.server.close(() => r()));
  });

  it("uses the model's structured answer, keeps only allowed entity values, and sends the text as data", async () => {
    reply = () => ({ content: JSON.stringify({ intent: 'find_space', confidence: 0.9, entities: { place: 'Termini', services: ['wifi', 'jacuzzi'], when: 'someday', staff_language: 'ar' } }) });
    const r = await u.understand('serve un posto vicino alla stazione con internet, parlano arabo?');
    expect(r).toMatchObject({ intent: 'find_space', source: 'llm', confidence: 0.9 });
    expect(r.entities).toMatchObject({ place: 'Termini', services: ['wifi'], staff_language: 'ar' });
    expect(r.entities.when).toBeUndefined();
    const call = fake.calls.at(-1)!;
    expect(JSON.parse(call.user)).toEqual({ message: 'serve un posto vicino alla stazione con internet, parlano arabo?' });
    expect(call.system).toContain('oos_papers');
  });

  it('drops a place that is not in the gazetteer', async () => {
    reply = () => ({ content: JSON.stringify({ intent: 'find_space', confidence: 0.8, entities: { place: 'Atlantis' } }) });
    expect((await u.understand('a desk in Atlantis')).entities.place).not.toBe('Atlantis');
  });

  it('falls back to the offline reading on an unknown intent, text that is not JSON, an error or a timeout', async () => {
    const text = 'voglio aprire una sartoria';
    for (const r of [
      () => ({ content: JSON.stringify({ intent: 'book_flight', confidence: 1, entities: {} }) }),
      () => ({ content: 'Sure! The intent is incubation.' }),
      () => ({ status: 500 }),
      () => new Promise<ChatReply>((resolve) => setTimeout(() => resolve({ content: '{"intent":"other","confidence":1}' }), 1500)),
    ]) {
      reply = r;
      expect(await u.understand(text)).toMatchObject({ intent: 'incubation', source: 'model' });
    }
  });

  it('never asks the model about safety: the offline check decides', async () => {
    const before = fake.calls.length;
    reply = () => ({ content: JSON.stringify({ intent: 'other', confidence: 1, entities: {} }) });
    expect((await u.understand('he says he will kill me')).intent).toBe('safety');
    expect(fake.calls.length).toBe(before);
  });
});
