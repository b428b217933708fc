/**
 * Right-to-left replies read right: the Unicode Bidirectional Algorithm (bidi-js, conformant to
 * UAX #9) runs over real replies of the assembled bot, line by line as Telegram and WhatsApp show
 * them, and the test reads the screen order. Also the finishing rules themselves (src/i18n/bidi.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { capabilitiesOf } from '../src/channels/channel.js';
import { render } from '../src/core/render.js';
import { asciiDigits, finishLabel, finishText, FSI, LRM, PDI, RLM } from '../src/i18n/bidi.js';
import { addAccount } from './console-helpers.js';
import { testConfig } from './helpers.js';
import { visualLines } from './support/bidi-visual.js';

/** The number a right-to-left line starts with, as read: at the right end of the screen. */
function leadingNumber(visual: string): string | undefined {
  return /(\d[\d ]*\d|\d)$/.exec(visual.trimEnd())?.[1];
}

const danger: Record<string, string> = {
  ar: 'يضربني وأنا خائفة',
  fa: 'خشونت در خانه، کمک',
  ps: 'تاوتریخوالی، مرسته غواړم',
  ur: 'وہ مجھے مارتا ہے، تشدد',
};

describe('right-to-left replies through the assembled bot (Unicode bidi algorithm)', () => {
  let app: App;
  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true });
  });
  afterAll(async () => app.close());

  const send = (address: string, lang: string, content: { type: 'text'; text: string } | { type: 'choice'; id: string }) =>
    app.bot.handle({ channel: 'web', address, externalId: `${address}:${Math.random()}`, receivedAt: new Date(), content, languageHint: lang });

  it.each(Object.keys(danger))('%s: the emergency numbers read 112, 1522, 800 290 290, 19696, each whole, each at the start of its line', async (lang) => {
    const out = await send(`safety-${lang}`, lang, { type: 'text', text: danger[lang]! });
    expect(out.lang).toBe(lang);
    const numbers = out.replies.find((r) => r.text?.includes('1522'));
    expect(numbers, 'the safety numbers were sent').toBeDefined();
    const lines = visualLines(numbers!.text!).filter((l) => /\d/.test(l.visual));
    expect(lines.map((l) => l.dir)).toEqual(['rtl', 'rtl', 'rtl', 'rtl']);
    expect(lines.map((l) => leadingNumber(l.visual))).toEqual(['112', '1522', '800 290 290', '19696']);
    // "(Telefono Azzurro)": the name reads left to right and its brackets enclose it.
    expect(lines[3]!.visual).toContain('(Telefono Azzurro)');
  });

  it('without the finishing step the same Arabic line shows the trafficking number as 290 290 800 (the test can fail)', async () => {
    const raw = app.translator.for('ar')('handoff:safety.numbers');
    const line = visualLines(raw).find((l) => l.visual.includes('290'))!;
    expect(line.visual).toContain('290 290 800');
    expect(leadingNumber(line.visual)).toBe('290 290 800');
  });

  it('a space card line and a numbered list line keep the number first and the Latin names whole', async () => {
    await send('cards-ar', 'ar', { type: 'text', text: 'مرحبا' });
    await send('cards-ar', 'ar', { type: 'choice', id: 'know:spaces' });
    const list = await send('cards-ar', 'ar', { type: 'choice', id: 'know:list' });
    const listText = list.replies.map((r) => r.text ?? '').join('\n');
    const first = visualLines(listText).find((l) => /\.1$/.test(l.visual.trimEnd()));
    expect(first, listText).toBeDefined();
    expect(first!.dir).toBe('rtl');
    // Read from the right: "1.", then the space's name, left to right.
    const space = app.knowledge.content.spaces.find((s) => first!.visual.includes(s.name))!;
    expect(space, first!.visual).toBeDefined();
    expect(first!.visual.trimEnd().endsWith(`${space.name} .1`)).toBe(true);

    const card = await send('cards-ar', 'ar', { type: 'choice', id: `know:s:${space.id}` });
    const title = visualLines(card.replies[0]!.text!)[0]!;
    // The card's first line is "<name> — <district>": in an Arabic card it is a right-to-left line,
    // the name first (at the right), each name whole.
    expect(title.dir).toBe('rtl');
    expect(title.visual).toBe(`${space.districts[0]} — ${space.name}`);
  });

  it('a facilitator’s English line in an Arabic conversation reads left to right, its full stop at the end', async () => {
    await send('staff-ar', 'ar', { type: 'text', text: 'مرحبا' });
    await send('staff-ar', 'ar', { type: 'choice', id: 'cmd:human' });
    const person = (await app.store.findPerson('web', 'staff-ar'))!;
    expect(person.language).toBe('ar');
    const c = (await app.handoff.cases.openCase(person.id))!;
    const staff = await addAccount(app, 'bidi@example.org', 'facilitator');
    await app.handoff.claim(c.id, staff);
    const id = await app.handoff.reply(app.bot.outbox, c, staff, 'Hello, I am here. How can I help you?');
    const stored = (await app.store.getMessage(id))!.body as { text: string };
    const [line] = visualLines(stored.text);
    expect(line).toEqual({ dir: 'ltr', visual: 'Hello, I am here. How can I help you?' });
    // The same line arriving unmarked in a right-to-left chat bubble would show its full stop first.
    expect(visualLines(`${RLM}Hello, I am here.`)[0]!.visual).toBe('.Hello, I am here');
  });
});

describe('finishing a text for its reader', () => {
  it('uses ASCII digits in every language: one numeral system per message', () => {
    expect(asciiDigits('۱٫۲ کیلومتر، حدود 15 دقیقه')).toBe('1٫2 کیلومتر، حدود 15 دقیقه');
    expect(finishText('৬:৩০ টায়', 'bn')).toBe('6:30 টায়');
    expect(finishText('٣ أيام', 'ar')).toBe(`${RLM}${FSI}3${PDI} أيام`);
    expect(finishText('Via Appia 12', 'it')).toBe('Via Appia 12');
  });

  it('isolates numbers and Latin names in right-to-left lines and marks the line', () => {
    expect(finishText('800 290 290 — الاتجار', 'ar')).toBe(`${RLM}${FSI}800 290 290${PDI} — الاتجار`);
    expect(finishText('اتصل بـ +39 06 1234 5678 أو https://example.org/a?b=1.', 'fa')).toBe(`${RLM}اتصل بـ ${FSI}+39 06 1234 5678${PDI} أو ${FSI}https://example.org/a?b=1${PDI}.`);
    // A list number stays outside, at the start of the right-to-left line.
    expect(finishText('1. Impact Hub Roma (مدفوع)', 'ur')).toBe(`${RLM}1. ${FSI}Impact Hub Roma${PDI} (مدفوع)`);
    // A closing bracket whose opening one is outside stays outside too.
    expect(finishText('الأطفال (Telefono Azzurro)', 'ar')).toBe(`${RLM}الأطفال (${FSI}Telefono Azzurro${PDI})`);
    // An English sentence inside an Arabic line takes its full stop; a name ending an Arabic sentence does not.
    expect(finishText('مرحبا. This text is in English. شكرا', 'ar')).toBe(`${RLM}مرحبا. ${FSI}This text is in English.${PDI} شكرا`);
    expect(finishText('زوروا Impact Hub Roma.', 'ar')).toBe(`${RLM}زوروا ${FSI}Impact Hub Roma${PDI}.`);
    // A plain right-to-left line needs nothing.
    expect(finishText('مرحبا بك', 'ar')).toBe('مرحبا بك');
  });

  it('marks a whole left-to-right sentence as such, and leaves emoji lines alone', () => {
    expect(finishText('Thank you for writing.\n👇', 'ps')).toBe(`${LRM}Thank you for writing.\n👇`);
  });

  it('is idempotent', () => {
    for (const t of ['800 290 290 — الاتجار', 'Hello.', '1. Impact Hub Roma (مدفوع)\nزوروا Impact Hub Roma.']) {
      expect(finishText(finishText(t, 'ar'), 'ar')).toBe(finishText(t, 'ar'));
    }
  });

  it('labels: marks only where scripts mix (the platforms count every character)', () => {
    expect(finishLabel('Impact Hub Roma', 'ar')).toBe('Impact Hub Roma');
    expect(finishLabel('الفعاليات', 'ar')).toBe('الفعاليات');
    expect(finishLabel('مساحات Impact Hub', 'ar')).toBe(`${RLM}مساحات ${FSI}Impact Hub${PDI}`);
  });

  it('the renderer finishes text, labels and list rows for the reader, and still fits the channel', () => {
    // The terminal shows choices as a numbered list the person answers with a number.
    const choices = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, label: `مساحة ${i + 1}` }));
    const [msg] = render({ text: 'اختر: 112', choices }, capabilitiesOf.terminal, 'ar');
    expect(msg!.text!.startsWith(`${RLM}اختر: ${FSI}112${PDI}`)).toBe(true);
    const rows = visualLines(msg!.text!).filter((l) => /\.\d+$/.test(l.visual));
    expect(rows).toHaveLength(12);
    for (const r of rows) expect(r.dir).toBe('rtl');
    const caps = capabilitiesOf.whatsapp;
    const [withButtons] = render({ text: 'x', choices: [{ id: 'a', label: 'مساحة Impact Hub Roma Ostiense Garbatella' }] }, caps, 'ar');
    expect([...withButtons!.choices![0]!.label].length).toBeLessThanOrEqual(caps.maxButtonLabel);
    // Without a language nothing changes.
    expect(render({ text: '800 290 290 — الاتجار' }, caps)[0]!.text).toBe('800 290 290 — الاتجار');
  });
});
