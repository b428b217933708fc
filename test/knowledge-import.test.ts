/** The content importer: every kind of error names file, row and column; relative dates; all-or-nothing. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentError, loadContent, parseEventTime, type ContentIssue } from '../src/knowledge/content.js';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { dbTarget, dbTargetNames } from './helpers.js';

const TZ = 'Europe/Rome';
// Thursday 26 November 2026, 10:00 in Rome.
const NOW = new Date('2026-11-26T10:00:00+01:00');

const spaceHeader = 'id,name,address,district,lat,lng,hours,price,price_note,languages,services,phone,email,website,description,description_fr,verified';
const goodSpace =
  'alpha,Alpha Cowork,"Via Roma 1, Roma",Pigneto;Prenestino,41.889,12.529,Mo-Fr 09:00-19:00,free,,it;en;ar,wifi;desk,+39 06 1234567,info@alpha.example,https://alpha.example,Un posto,Un lieu,yes';
const eventHeader = 'id,space_id,title,title_it,start,end,price,topics,languages,description';
const goodEvent = 'ev1,alpha,Italian evening,Serata di italiano,@+1 19:00,@+1 20:30,free,italian,it;en,Talk';

function dir(spaces: string[], events?: string[]): string {
  const d = mkdtempSync(join(tmpdir(), 'cwb-content-'));
  writeFileSync(join(d, 'spaces.csv'), `${spaceHeader}\n${spaces.join('\n')}\n`);
  if (events) writeFileSync(join(d, 'events.csv'), `${eventHeader}\n${events.join('\n')}\n`);
  return d;
}

function issuesOf(d: string): ContentIssue[] {
  try {
    loadContent(d, { now: NOW, timezone: TZ });
  } catch (err) {
    if (err instanceof ContentError) return err.issues;
    throw err;
  }
  throw new Error('expected a ContentError');
}

describe('content import: validation', () => {
  it('accepts a valid directory and reads every column', () => {
    const c = loadContent(dir([goodSpace], [goodEvent]), { now: NOW, timezone: TZ });
    expect(c.spaces).toHaveLength(1);
    const s = c.spaces[0]!;
    expect(s).toMatchObject({
      id: 'alpha',
      districts: ['Pigneto', 'Prenestino'],
      lat: 41.889,
      lng: 12.529,
      price: 'free',
      languages: ['it', 'en', 'ar'],
      services: ['wifi', 'desk'],
      phone: '+39 06 1234567',
      verified: true,
    });
    expect(s.descriptions).toMatchObject({ fr: 'Un lieu' });
    expect(c.events[0]).toMatchObject({ id: 'ev1', spaceId: 'alpha', price: 'free', topics: ['italian'] });
    expect(c.events[0]!.titles.it).toBe('Serata di italiano');
    expect(c.events[0]!.start.toISOString()).toBe('2026-11-27T18:00:00.000Z');
  });

  it.each([
    ['bad latitude', goodSpace.replace('41.889', '95.1'), 'lat', /latitude.*between -90 and 90.*95\.1/],
    ['not a number', goodSpace.replace('12.529', 'east'), 'lng', /longitude/],
    ['bad hours', goodSpace.replace('Mo-Fr 09:00-19:00', 'Mo-Fx 9 to 5'), 'hours', /opening_hours syntax/],
    ['unknown service', goodSpace.replace('wifi;desk', 'wifi;jacuzzi'), 'services', /unknown service "jacuzzi"/],
    ['bad price', goodSpace.replace(',free,', ',cheap,'), 'price', /free, low or paid/],
    ['bad language', goodSpace.replace('it;en;ar', 'it;english'), 'languages', /"english" is not an ISO 639-1/],
    ['bad verified', goodSpace.replace(/,yes$/, ',maybe'), 'verified', /yes or no/],
    ['bad email', goodSpace.replace('info@alpha.example', 'not-an-email'), 'email', /email address/],
    ['bad website', goodSpace.replace('https://alpha.example', 'alpha dot example'), 'website', /web address/],
    ['bad id', goodSpace.replace(/^alpha/, 'Alpha Space'), 'id', /slug/],
  ])('spaces.csv: %s → file, row, column and reason', (_name, row, column, message) => {
    const issues = issuesOf(dir([goodSpace.replace(/^alpha/, 'zeta'), row]));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'spaces.csv', row: 3, column });
    expect(issues[0]!.message).toMatch(message);
  });

  it('spaces.csv: a duplicate id names both rows', () => {
    const issues = issuesOf(dir([goodSpace, goodSpace]));
    expect(issues).toEqual([{ file: 'spaces.csv', row: 3, column: 'id', message: 'duplicate id "alpha" (already used in row 2)' }]);
  });

  it('spaces.csv: a row with the wrong number of fields, and unknown or missing columns', () => {
    expect(issuesOf(dir([goodSpace, 'beta,Beta']))[0]).toMatchObject({ file: 'spaces.csv', row: 3, message: expect.stringMatching(/has 2 fields but the header has 17/) });
    const d = mkdtempSync(join(tmpdir(), 'cwb-content-'));
    writeFileSync(join(d, 'spaces.csv'), 'id,name,adress,district,lat,lng,hours,price,languages,services,description_xx\n');
    const issues = issuesOf(d);
    expect(issues).toContainEqual({ file: 'spaces.csv', row: 1, column: 'adress', message: expect.stringMatching(/unknown column/) });
    expect(issues).toContainEqual({ file: 'spaces.csv', row: 1, column: 'address', message: 'this column is missing' });
    expect(issues).toContainEqual({ file: 'spaces.csv', row: 1, column: 'description_xx', message: expect.stringMatching(/not one of the bot's languages/) });
  });

  it.each([
    ['unknown space', goodEvent.replace(',alpha,', ',nowhere,'), 'space_id', /no space with id "nowhere"/],
    ['bad start', goodEvent.replace('@+1 19:00', 'next friday'), 'start', /ISO 8601 with an offset/],
    ['start without offset', goodEvent.replace('@+1 19:00', '2026-11-27T19:00:00'), 'start', /ISO 8601 with an offset/],
    ['end before start', goodEvent.replace('@+1 20:30', '@+1 18:00'), 'end', /ends before it starts/],
    ['unknown topic', goodEvent.replace(',italian,', ',cooking,'), 'topics', /unknown topic "cooking"/],
    ['bad price', goodEvent.replace(',free,', ',low,'), 'price', /free or paid/],
  ])('events.csv: %s → file, row, column and reason', (_name, row, column, message) => {
    const issues = issuesOf(dir([goodSpace], [goodEvent.replace(/^ev1/, 'ev0'), row]));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'events.csv', row: 3, column });
    expect(issues[0]!.message).toMatch(message);
  });

  it('collects every problem of every file at once', () => {
    const issues = issuesOf(dir([goodSpace.replace('41.889', 'x'), goodSpace.replace(/^alpha/, 'beta').replace(',free,', ',gratis,')], [goodEvent.replace(',alpha,', ',gamma,')]));
    expect(issues.map((i) => `${i.file}:${i.row}:${i.column}`)).toEqual(['spaces.csv:2:lat', 'spaces.csv:3:price', 'events.csv:2:space_id']);
  });

  it('a missing directory or spaces.csv is a clear error', () => {
    expect(issuesOf('/nonexistent/dir')[0]!.message).toMatch(/does not exist/);
    expect(issuesOf(mkdtempSync(join(tmpdir(), 'cwb-empty-')))[0]).toMatchObject({ file: 'spaces.csv', message: expect.stringMatching(/not found/) });
  });

  it('the demo content and the other-city test content are valid', () => {
    const demo = loadContent('data/demo', { now: NOW, timezone: TZ });
    expect(demo.spaces.length).toBe(15);
    expect(demo.spaces.every((s) => !s.verified)).toBe(true);
    expect(demo.explainer.length).toBe(12);
    expect(demo.gazetteer.filter((g) => g.kind !== 'elsewhere').length).toBe(97);
    expect(loadContent('test/content/other-city', { now: NOW, timezone: TZ }).spaces).toHaveLength(3);
  });
});

describe('relative event dates (resolved in Europe/Rome against the clock)', () => {
  it.each([
    ['@+0 19:00', '2026-11-26T18:00:00.000Z'],
    ['@+2 09:30', '2026-11-28T08:30:00.000Z'],
    ['@thu 08:00', '2026-11-26T07:00:00.000Z'], // today is Thursday: "on or after today"
    ['@sat 10:00', '2026-11-28T09:00:00.000Z'],
    ['@wed 18:00', '2026-12-02T17:00:00.000Z'],
    ['2026-12-05T18:30:00+01:00', '2026-12-05T17:30:00.000Z'],
  ])('%s → %s', (value, iso) => {
    const t = parseEventTime(value, NOW, TZ);
    expect(t instanceof Date ? t.toISOString() : t).toBe(iso);
  });

  it('uses Rome time across a daylight-saving change and near midnight UTC', () => {
    // 28 March 2026 is the Saturday before summer time; 23:30 UTC on the 27th is already the 28th in Rome.
    const lateFriday = new Date('2026-03-27T23:30:00Z');
    expect((parseEventTime('@+0 12:00', lateFriday, TZ) as Date).toISOString()).toBe('2026-03-28T11:00:00.000Z');
    expect((parseEventTime('@+1 12:00', lateFriday, TZ) as Date).toISOString()).toBe('2026-03-29T10:00:00.000Z');
  });

  it('rejects malformed relative forms', () => {
    for (const bad of ['@+1', '@fri 25:00', '@someday 10:00', '@+1 9:00']) expect(typeof parseEventTime(bad, NOW, TZ)).toBe('string');
  });
});

describe.each(dbTargetNames())('import into the database (%s)', (name) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await dbTarget(name);
    cleanup = t.cleanup;
    db = await openDatabase(t.target);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('writes all rows; a bad import changes nothing; an unchanged import is skipped', async () => {
    const kb = new KnowledgeBase(db, TZ);
    expect(await kb.importDir('data/demo', NOW)).toEqual({ spaces: 15, events: 21, unchanged: false });
    expect(await kb.importDir('data/demo', NOW)).toEqual({ spaces: 15, events: 21, unchanged: true });
    await expect(kb.importDir(dir([goodSpace, goodSpace.replace(/^alpha/, 'beta').replace('12.529', '999')]), NOW)).rejects.toThrow(/spaces\.csv, row 3, column "lng"/);
    const stored = await kb.store.storedContent();
    expect(stored.spaces).toHaveLength(15);
    expect(stored.events).toHaveLength(21);
    expect(kb.content.spaces).toHaveLength(15);

    // At start, a broken content directory falls back to the last accepted import.
    const restarted = new KnowledgeBase(db, TZ);
    await restarted.open(dir(['broken,row']), NOW);
    expect(restarted.content.spaces.map((s) => s.id)).toContain('millepiani');
    expect(restarted.content.events[0]!.start).toBeInstanceOf(Date);

    expect(await kb.importDir('test/content/other-city', NOW)).toMatchObject({ spaces: 3, unchanged: false });
    expect((await kb.store.storedContent()).spaces).toHaveLength(3);
  });
});
