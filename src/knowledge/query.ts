/**
 * Understanding a free question without a model: which filters, times, topics, places and
 * spaces it names, from the multilingual lexicon and the gazetteer. Every language's words are
 * tried (people mix languages), the longest phrase first.
 */
import { normalizeForMatch } from '../core/text.js';
import type { GazetteerPlace, KnowledgeContent, LexiconGroup, ServiceTag, Space, TopicTag } from './content.js';

export type TimeWord = 'now' | 'evening' | 'weekend' | 'today' | 'tonight' | 'tomorrow' | 'this_week';

/** What a question asks for, as far as the lexicon can tell. */
export interface Understanding {
  services: ServiceTag[];
  price?: 'free' | 'low';
  times: TimeWord[];
  topics: TopicTag[];
  /** Staff languages asked for (ISO 639-1). */
  languages: string[];
  intents: { spaces: number; events: number; near: number; explainer: number };
  place?: { name: string; lat: number; lng: number };
  /** Spaces named in the question, best first. */
  spaces: { space: Space; score: number }[];
}

/** Scripts written without spaces between words, or where a phrase is glued to particles. */
const gluedScript = /[\u0600-\u06ff\u0750-\u077f\u0980-\u09ff\u1200-\u139f\u3040-\u30ff\u3400-\u9fff]/;

/** One lexicon phrase, prepared for matching. */
interface Phrase {
  key: string;
  text: string;
  glued: boolean;
}

const cjk = /[\u3040-\u30ff\u3400-\u9fff]/;
/** Arabic-script particles glued to the next word: "بالمساء", "والأطفال", "هالأسبوع". */
const arabicParticles = /(^| )(وال|بال|فال|كال|هال|لل|ال|و|ب|ل)(?=[\u0600-\u06ff]{3,})/g;

function hasPhrase(padded: string, p: Phrase): boolean {
  // Chinese has no spaces at all: any substring.
  if (cjk.test(p.text)) return padded.includes(p.text);
  if (padded.includes(` ${p.text} `)) return true;
  // An ending on a longer word: "evento" → "eventos", "মেয়ে" → "মেয়েকে". Short words must match whole
  // ("مفت" must not match inside "مفتوح").
  return [...p.text].length >= 4 && (p.glued || !p.text.includes(' ')) && padded.includes(` ${p.text}`);
}

/** The text as matched: normalized, Latin words split from Chinese, Arabic-script particles also stripped. */
export function matchText(text: string): string {
  const norm = normalizeForMatch(text).replace(/([\u3400-\u9fff])(?=[a-z0-9])/g, '$1 ').replace(/([a-z0-9])(?=[\u3400-\u9fff])/g, '$1 ');
  const stripped = norm.replace(arabicParticles, '$1');
  return stripped === norm ? ` ${norm} ` : ` ${norm} | ${stripped} `;
}

/** Prepared lexicon groups: every language's phrases, longest first. */
export class Matcher {
  private readonly groups = new Map<string, Phrase[]>();
  private readonly places: { place: GazetteerPlace | { name: string; lat: number; lng: number }; phrase: Phrase }[] = [];
  private readonly spaceNames: { space: Space; tokens: string[] }[] = [];

  constructor(private readonly content: KnowledgeContent) {
    const lex = content.lexicon;
    for (const [name, group] of Object.entries({ services: lex.services, price: lex.price, time: lex.time, topics: lex.topics, intents: lex.intents, languages: lex.languages })) {
      this.groups.set(name, prepare(group));
    }
    for (const g of content.gazetteer) {
      for (const n of [g.name, ...g.aliases]) {
        const text = normalizeForMatch(n.replace(/\(.*?\)/g, ''));
        if (text.length >= 3) this.places.push({ place: g, phrase: { key: g.name, text, glued: false } });
      }
    }
    for (const s of content.spaces) {
      for (const d of s.districts) {
        const text = normalizeForMatch(d);
        if (text.length >= 3 && text !== 'roma' && text !== 'rome') this.places.push({ place: { name: s.districts[0]!, lat: s.lat, lng: s.lng }, phrase: { key: d, text, glued: false } });
      }
      const generic = new Set(['coworking', 'roma', 'rome', 'circolo', 'arci', 'the', 'di', 'del', 'la', 'il', 'le']);
      const tokens = normalizeForMatch(s.name.replace(/\(|\)/g, ' ')).split(' ').filter((t) => t.length >= 2 && !generic.has(t));
      this.spaceNames.push({ space: s, tokens: [...new Set(tokens)] });
    }
    this.places.sort((a, b) => b.phrase.text.length - a.phrase.text.length);
  }

  /** The keys of a lexicon group found in the text, each once. */
  find(groupName: string, padded: string): string[] {
    const found: string[] = [];
    let rest = padded;
    for (const p of this.groups.get(groupName) ?? []) {
      if (hasPhrase(rest, p)) {
        if (!found.includes(p.key)) found.push(p.key);
        rest = rest.replace(p.text, ' ');
      }
    }
    return found;
  }

  count(groupName: string, key: string, padded: string): number {
    // Two-letter words ("in") are everywhere; a place after them is found by the gazetteer anyway.
    return (this.groups.get(groupName) ?? []).filter((p) => p.key === key && (p.text.length > 2 || cjk.test(p.text)) && hasPhrase(padded, p)).length;
  }

  understand(text: string): Understanding {
    const padded = matchText(text);
    const norm = padded.trim();
    const tokens = new Set(norm.split(' '));
    let rest = padded;
    const spaces = this.spaceNames
      .map(({ space, tokens: name }) => {
        const hit = name.filter((t) => tokens.has(t) || (gluedScript.test(norm) && norm.includes(t)));
        const score = name.length ? hit.length / name.length : 0;
        // One word of a longer name is not enough: "near Old Harbour" is a place, not "Harbour Desk".
        const enough = hit.length >= 2 || (hit.length === name.length && hit.length > 0);
        return { space, score: enough && hit.some((t) => t.length >= 4) ? score : 0 };
      })
      .filter((s) => s.score >= 0.5)
      .sort((a, b) => b.score - a.score);
    // A space's own name must not also count as a place or a service ("Industrie Fluviali", "Pick Center").
    for (const s of spaces) for (const t of this.spaceNames.find((n) => n.space === s.space)!.tokens) rest = rest.replace(` ${t} `, ' ');
    const place = this.places.find((p) => hasPhrase(rest, p.phrase))?.place;
    if (place) rest = rest.replace(normalizeForMatch(place.name), ' ');
    const time = this.find('time', rest) as TimeWord[];
    const price = this.find('price', rest);
    return {
      services: this.find('services', rest) as ServiceTag[],
      price: price.includes('free') ? 'free' : price.includes('low') ? 'low' : undefined,
      times: time,
      topics: this.find('topics', rest) as TopicTag[],
      languages: this.find('languages', rest),
      intents: {
        spaces: this.count('intents', 'spaces', rest),
        events: this.count('intents', 'events', rest),
        near: this.count('intents', 'near', rest),
        explainer: this.count('intents', 'explainer', rest),
      },
      place: place ? { name: place.name, lat: place.lat, lng: place.lng } : undefined,
      spaces,
    };
  }
}

function prepare(group: LexiconGroup): Phrase[] {
  const out: Phrase[] = [];
  for (const [key, perLang] of Object.entries(group)) {
    for (const phrases of Object.values(perLang)) {
      for (const raw of phrases) {
        const text = normalizeForMatch(raw);
        if (text) out.push({ key, text, glued: gluedScript.test(text) });
      }
    }
  }
  return out.sort((a, b) => b.text.length - a.text.length);
}
