/**
 * The staff pages' one string table per language (src/i18n/staff-strings.ts): every key in every staff
 * language, no empty string, the same `{name}` placeholders in each, and each page family's lookup
 * reading its own prefix.
 */
import { describe, expect, it } from 'vitest';
import { consoleStrings, insightsText, portalText, staffTables, staffText } from '../src/i18n/staff-strings.js';

const langs = ['en', 'it'] as const;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('staff strings', () => {
  it('has every key in every staff language, none empty, with the same placeholders', () => {
    const keys = Object.keys(staffTables.en).sort();
    expect(keys.length).toBeGreaterThan(300);
    for (const lang of langs) {
      expect(Object.keys(staffTables[lang]).sort()).toEqual(keys);
      for (const [key, text] of Object.entries(staffTables[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
    const italian = new Map(Object.entries(staffTables.it));
    for (const [key, en] of Object.entries(staffTables.en)) expect(placeholders(italian.get(key) ?? ''), key).toEqual(placeholders(en));
  });

  it('gives every key a page family prefix', () => {
    for (const key of Object.keys(staffTables.en)) expect(key).toMatch(/^(console|portal|insights)\./);
  });

  it('reads each page family through the one lookup, placeholders filled', () => {
    expect(portalText('it')('space.title', { name: 'Hub' })).toBe(staffText('it')('portal.space.title', { name: 'Hub' }));
    expect(portalText('en')('space.title', { name: 'Hub' })).toBe('Space card: Hub');
    expect(insightsText('en')('title')).toBe(staffText('en')('insights.title'));
    expect(consoleStrings('it').s.claim).toBe(staffText('it')('console.claim'));
    expect(consoleStrings('en')).toMatchObject({ lang: 'en', s: { claim: 'Claim' } });
    expect(Object.keys(consoleStrings('en').s)).toHaveLength(Object.keys(staffTables.en).filter((k) => k.startsWith('console.')).length);
  });
});
