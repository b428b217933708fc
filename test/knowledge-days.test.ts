/**
 * Named days and dates, in any language, filter spaces by their opening hours and events by their
 * day: "open on Sunday" lists the spaces open on Sunday (not those open "at the weekend"), "events
 * on Tuesday evening" the next Tuesday's evening events, "5 December" that day's.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { FixedClock } from '../src/clock.js';
import type { HandleResult } from '../src/core/types.js';
import { testConfig } from './helpers.js';

// Thursday 26 November 2026, 10:00 in Rome.
const NOW = new Date('2026-11-26T10:00:00+01:00');

describe('days and dates in questions', () => {
  let app: App;
  const ask = async (text: string, lang = 'en'): Promise<HandleResult> => {
    const address = `days:${randomUUID()}`;
    const send = (content: { type: 'text'; text: string } | { type: 'choice'; id: string }) =>
      app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: NOW, content, languageHint: lang });
    await send({ type: 'choice', id: `lang:${lang}` });
    return send({ type: 'text', text });
  };
  const spacesIn = (r: HandleResult) =>
    (r.replies.at(-1)?.choices ?? [])
      .filter((c) => c.id.startsWith('know:s:'))
      .map((c) => c.id.slice(7))
      .sort();
  const eventsIn = (r: HandleResult) => (r.replies.at(-1)?.choices ?? []).filter((c) => c.id.startsWith('know:e:')).map((c) => c.id.slice(7));

  beforeAll(async () => {
    app = await createApp({ config: testConfig(), db: { kind: 'memory' }, embeddedQueue: true, clock: new FixedClock(NOW) });
  });
  afterAll(async () => app.close());

  it.each([
    ['is there a coworking open on Sunday?', 'en'],
    ["c'è uno spazio aperto la domenica?", 'it'],
    ['¿hay algún espacio abierto el domingo?', 'es'],
    ['هل يوجد مكان عمل مفتوح يوم الأحد؟', 'ar'],
    ['коворкинг, который работает в воскресенье', 'ru'],
  ])('"%s" lists the spaces open on Sunday by their hours, not the weekend filter', async (text, lang) => {
    const r = await ask(text, lang);
    // Industrie Fluviali (Sa-Su) and Famo Cose (Sa-Su) open on Sunday; Talent Garden opens on Saturday only.
    expect(spacesIn(r)).toEqual(['famo_cose', 'industrie_fluviali']);
  });

  it('says the day filter in the person’s language', async () => {
    const r = await ask('is there a coworking open on Sunday?');
    expect(r.replies.at(-1)!.text).toContain('Open on Sunday');
    const it = await ask("c'è uno spazio aperto la domenica?", 'it');
    expect(it.replies.at(-1)!.text).toContain('Aperto domenica');
  });

  it('the weekend still means Saturday or Sunday', async () => {
    const r = await ask('a coworking space open at the weekend');
    expect(spacesIn(r)).toEqual(['biblioteca_vaccheria_nardi', 'famo_cose', 'industrie_fluviali', 'talent_garden_ostiense', 'teatro_biblioteca_quarticciolo']);
  });

  it('"open on Tuesday evening" needs hours that reach the evening that day', async () => {
    const r = await ask('a coworking open on Tuesday evening after 7pm');
    expect(r.replies.at(-1)!.text).toContain('Open on Tuesday evening');
    const shown = spacesIn(r);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).not.toContain('stonehead'); // Mo-Fr 09:00-13:00: closed on Tuesday evening
  });

  it('events on a named day and part of the day', async () => {
    const sunday = await ask('events on Sunday morning');
    expect(eventsIn(sunday)).toEqual(['family_maker_morning']);
    const tuesday = await ask('what events are there on Tuesday evening?');
    expect(tuesday.replies.at(-1)!.text).toMatch(/^Events on Tuesday:/);
    expect(eventsIn(tuesday)).toEqual(['peer_workshop_first_job']);
    const italian = await ask('eventi martedì sera', 'it');
    expect(eventsIn(italian)).toEqual(['peer_workshop_first_job']);
  });

  it('events on a date, written in words or figures, and the day after tomorrow', async () => {
    for (const [text, lang] of [
      ['any events on 5 December?', 'en'],
      ['eventi il 5 dicembre', 'it'],
      ['мероприятия 5 декабря', 'ru'],
      ['events 5/12', 'en'],
    ] as const) {
      const r = await ask(text, lang);
      expect(eventsIn(r), text).toEqual(['networking_evening']);
    }
    const after = await ask('events the day after tomorrow');
    expect(eventsIn(after)).toEqual(expect.arrayContaining(['legal_info_desk', 'digital_basics_saturday', 'multicultural_dinner']));
    expect(eventsIn(after)).not.toContain('family_maker_morning');
  });
});
