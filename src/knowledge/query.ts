/**
 * Understanding a free question without a model: which filters, times, topics, places and
 * spaces it names, from the multilingual lexicon and the gazetteer. Every language's words are
 * tried (people mix languages), the longest phrase first.
 */
import { TextMemo } from '../core/memo.js';
import { normalizeForMatch } from '../core/text.js';
import { findDates, relativeDays, weekdayKeys, weekdayNames, type DayOfYear, type Weekday } from './calendar.js';
import type { GazetteerPlace, KnowledgeContent, LexiconGroup, ServiceTag, Space, TopicTag } from './content.js';
import { editDistance, skeleton } from './transliterate.js';

export type TimeWord = 'now' | 'evening' | 'morning' | 'weekend' | 'today' | 'tonight' | 'tomorrow' | 'this_week' | Weekday;

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
  /** A city or country outside Rome the question names ("in Milano", "from Lima"): never a district. */
  elsewhere?: string;
  /** Calendar dates named ("12 December", "12/12"). */
  dates: DayOfYear[];
  /** "The day after tomorrow": days from today. */
  inDays?: number;
  /** Spaces named in the question, best first. */
  spaces: { space: Space; score: number }[];
}

type PlaceRef = GazetteerPlace | { name: string; lat: number; lng: number; kind?: undefined };

/**
 * Single-word names that are also everyday words ("salario" is a wage in Spanish, "Spagna" is Spain,
 * "Monti" mountains): they count as places only right after a word that introduces a place.
 */
const needsContext = new Set([
  'salario',
  'talenti',
  'spagna',
  'trieste',
  'bologna',
  'prati',
  'lodi',
  'marconi',
  'repubblica',
  'manzoni',
  'teano',
  'cavour',
  'pantano',
  'gardenie',
  'europa',
  'monti',
  'jonio',
  'ionio',
  'malatesta',
  'trullo',
  'ostia',
  'centro',
  'appia',
  'aurelia',
  'salaria',
  'giardinetti',
  'flaminio',
  'san paolo',
  'piramide',
  'policlinico',
  'mazzini',
  'appio',
  'fermi',
  'camillo',
]);
const placeContext = new Set([
  'a',
  'in',
  'at',
  'to',
  'near',
  'around',
  'vicino',
  'zona',
  'quartiere',
  'metro',
  'stazione',
  'station',
  'fermata',
  'piazza',
  'piazzale',
  'via',
  'viale',
  'largo',
  'en',
  'cerca',
  'pres',
  'proche',
  'langa',
  'malapit',
  'sa',
  'al',
  'alla',
  'dal',
  'verso',
  'fino',
  'from',
  'the',
  'stop',
  'district',
  'area',
  'rione',
  'quartier',
  'barrio',
  'zone',
]);
/** Everyday words within a letter or two of a place name: never a misspelt place. */
const notPlaces = new Set([
  'termine',
  'termino',
  'terminal',
  'terminale',
  'terminare',
  'pratica',
  'pratiche',
  'pratico',
  'montagna',
  'monte',
  'ponte',
  'parco',
  'porta',
  'salari',
  'salariato',
  'talento',
  'centri',
  'centre',
  'center',
  'central',
  'centrale',
  'romania',
  'romana',
  'romano',
  'mattina',
  'materia',
  'martina',
  'tribunale',
  'trasferire',
]);
/** Little words inside place names that spellings drop or change ("Re di Roma", "Colli dell'Aniene"). */
const linkWords = new Set(['di', 'del', 'della', 'dei', 'delle', 'dell', 'de', 'da', 'la', 'il', 'i', 'le', 'lo', 'd']);

/** Scripts written without spaces between words, or where a phrase is glued to particles. */
const gluedScript = /[\u0600-\u06ff\u0750-\u077f\u0980-\u09ff\u1200-\u139f\u3040-\u30ff\u3400-\u9fff]/;

/** One lexicon phrase, prepared for matching. */
interface Phrase {
  key: string;
  text: string;
  glued: boolean;
  /** What matching needs of `text`, worked out on first use (every message tries every phrase). */
  form?: PhraseForm;
}

interface PhraseForm {
  cjk: boolean;
  ethiopic: boolean;
  /** ` text `: the phrase as a whole word. */
  whole: string;
  /** ` text`: the phrase at the start of a word. */
  start: string;
  /** At least four characters (code points). */
  long: boolean;
}

function formOf(p: Phrase): PhraseForm {
  return (p.form ??= { cjk: cjk.test(p.text), ethiopic: ethiopic.test(p.text), whole: ` ${p.text} `, start: ` ${p.text}`, long: [...p.text].length >= 4 });
}

const cjk = /[\u3040-\u30ff\u3400-\u9fff]/;
const ethiopic = /[\u1200-\u139f]/;
/** Arabic-script particles glued to the next word: "بالمساء", "والأطفال", "هالأسبوع". */
const arabicParticles = /(^| )(وال|بال|فال|كال|هال|لل|ال|و|ب|ل)(?=[\u0600-\u06ff]{3,})/g;

function hasPhrase(padded: string, p: Phrase): boolean {
  const f = formOf(p);
  // Chinese has no spaces at all: any substring.
  if (f.cjk) return padded.includes(p.text);
  if (padded.includes(f.whole)) return true;
  // An ending on a longer word: "evento" → "eventos", "মেয়ে" → "মেয়েকে". Short words must match whole
  // ("مفت" must not match inside "مفتوح").
  return f.long && (p.glued || !p.text.includes(' ')) && padded.includes(f.start);
}

/** A place name in the text: Latin names as whole words ("Prati" is not in "pratica"), other scripts also with endings. */
function hasPlace(padded: string, p: Phrase): boolean {
  const f = formOf(p);
  if (f.cjk) return padded.includes(p.text);
  if (padded.includes(f.whole)) return true;
  // Ge'ez, Arabic-script and Bengali names take endings ("টার্মিনির", "تيرمينيه"); Ge'ez also prefixes ("ብተርሚኒ").
  if (!p.glued || !f.long) return false;
  return padded.includes(f.start) || (f.ethiopic && padded.includes(p.text));
}

/** The index key of a place name: its first character where names are found inside words, else its first two letters. */
function placeKey(text: string): string {
  return cjk.test(text[0] ?? '') || ethiopic.test(text[0] ?? '') ? text[0]! : text.slice(0, 2);
}

/** Whether a word that introduces a place comes right before `name`. */
function afterContext(padded: string, name: string): boolean {
  const at = padded.indexOf(` ${name} `);
  if (at < 0) return false;
  const before = padded.slice(0, at).trim().split(' ').at(-1) ?? '';
  return placeContext.has(before);
}

/** The text as matched: normalized, Latin words split from Chinese, Arabic-script particles also stripped. */
export function matchText(text: string): string {
  const norm = normalizeForMatch(text)
    .replace(/([\u3400-\u9fff])(?=[a-z0-9])/g, '$1 ')
    .replace(/([a-z0-9])(?=[\u3400-\u9fff])/g, '$1 ');
  const stripped = norm.replace(arabicParticles, '$1');
  return stripped === norm ? ` ${norm} ` : ` ${norm} | ${stripped} `;
}

/** Prepared lexicon groups: every language's phrases, longest first. */
export class Matcher {
  private readonly groups = new Map<string, Phrase[]>();
  private readonly places: { place: PlaceRef; phrase: Phrase }[] = [];
  /** The place names by how they begin (two letters; one character in Chinese and Ge'ez, matched anywhere). */
  private readonly placeIndex = new Map<string, { place: PlaceRef; phrase: Phrase }[]>();
  /** Every name's consonant skeleton, word by word ("t-r-m-n", "t-r b-n-t-r"), for spellings nobody listed. */
  private readonly skeletons = new Map<string, { place: GazetteerPlace; name: string }[]>();
  private readonly spaceNames: { space: Space; tokens: string[] }[] = [];
  /** Readings of texts already read (a matcher's content never changes: a new import makes a new matcher). */
  private readonly readings = new TextMemo<Understanding>();

  constructor(private readonly content: KnowledgeContent) {
    const lex = content.lexicon;
    for (const [name, group] of Object.entries({ services: lex.services, price: lex.price, time: lex.time, topics: lex.topics, intents: lex.intents, languages: lex.languages })) {
      this.groups.set(name, prepare(group));
    }
    for (const g of content.gazetteer) {
      for (const n of [g.name, ...g.aliases, ...Object.values(g.names ?? {}).flat()]) {
        const text = normalizeForMatch(n.replace(/\(.*?\)/g, ''));
        if (text.length < 3 && !cjk.test(text)) continue;
        this.places.push({ place: g, phrase: { key: g.name, text, glued: gluedScript.test(text) } });
        if (g.kind === 'elsewhere' || cjk.test(text) || needsContext.has(text)) continue;
        const words = text
          .split(' ')
          .filter((w) => !linkWords.has(w))
          .map(skeleton);
        if (words.join('').length < 4 || !words.some((w) => w.length >= 3)) continue;
        const key = words.join(' ');
        const list = this.skeletons.get(key) ?? [];
        if (!list.some((e) => e.place === g && e.name === text)) list.push({ place: g, name: text });
        this.skeletons.set(key, list);
      }
    }
    // The time words also know every language's weekday names from Intl.
    const time = this.groups.get('time') ?? [];
    for (const { name, day } of weekdayNames()) if (!time.some((p) => p.text === name)) time.push({ key: weekdayKeys[day]!, text: name, glued: gluedScript.test(name) });
    time.sort((a, b) => b.text.length - a.text.length);
    for (const s of content.spaces) {
      for (const d of s.districts) {
        const text = normalizeForMatch(d);
        if (text.length >= 3 && text !== 'roma' && text !== 'rome') this.places.push({ place: { name: s.districts[0]!, lat: s.lat, lng: s.lng }, phrase: { key: d, text, glued: false } });
      }
      const generic = new Set(['coworking', 'roma', 'rome', 'circolo', 'arci', 'the', 'di', 'del', 'la', 'il', 'le']);
      const tokens = normalizeForMatch(s.name.replace(/\(|\)/g, ' '))
        .split(' ')
        .filter((t) => t.length >= 2 && !generic.has(t));
      this.spaceNames.push({ space: s, tokens: [...new Set(tokens)] });
    }
    this.places.sort((a, b) => b.phrase.text.length - a.phrase.text.length);
    for (const p of this.places) {
      const key = placeKey(p.phrase.text);
      this.placeIndex.set(key, [...(this.placeIndex.get(key) ?? []), p]);
    }
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
    return (this.groups.get(groupName) ?? []).filter((p) => p.key === key && (p.text.length > 2 || formOf(p).cjk) && hasPhrase(padded, p)).length;
  }

  /** What `text` names (remembered per text; each call gets its own copy to change). */
  understand(text: string): Understanding {
    const u = this.readings.get(text, () => this.read(text));
    return {
      ...u,
      services: [...u.services],
      times: [...u.times],
      topics: [...u.topics],
      languages: [...u.languages],
      intents: { ...u.intents },
      ...(u.place ? { place: { ...u.place } } : {}),
      dates: u.dates.map((d) => ({ ...d })),
      spaces: u.spaces.map((s) => ({ ...s })),
    };
  }

  private read(text: string): Understanding {
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
    const found = this.findPlace(rest);
    const place = found?.place.kind === 'elsewhere' ? undefined : found?.place;
    if (found) rest = rest.split(found.text).join(' ');
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
      elsewhere: found?.place.kind === 'elsewhere' ? found.place.name : undefined,
      dates: findDates(text),
      inDays: relativeDays(rest),
      spaces,
    };
  }

  /**
   * The place a text names: a listed name in any script (longest first; a name that is also an
   * everyday word only right after "near", "in", "metro"…), else {@link fuzzyPlace}.
   */
  private findPlace(padded: string): { place: PlaceRef; text: string } | undefined {
    // The first place in the text wins ("Prenestino or Centocelle"); at one position, the longest name.
    let best: { place: PlaceRef; text: string; at: number } | undefined;
    // Only names that could start here: each word's first two letters, each Chinese or Ge'ez character.
    const keys = new Set<string>();
    for (const w of padded.split(' ')) if (w) keys.add(w.slice(0, 2));
    for (const ch of padded) if (cjk.test(ch) || ethiopic.test(ch)) keys.add(ch);
    const candidates = [...keys].flatMap((k) => this.placeIndex.get(k) ?? []).sort((a, b) => b.phrase.text.length - a.phrase.text.length);
    for (const p of candidates) {
      if (!hasPlace(padded, p.phrase)) continue;
      if (needsContext.has(p.phrase.text) && !afterContext(padded, p.phrase.text)) continue;
      const at = padded.indexOf(p.phrase.text);
      if (!best || at < best.at) best = { place: p.place, text: p.phrase.text, at };
    }
    return best ?? this.fuzzyPlace(padded);
  }

  /**
   * A place written in a way nobody listed: as many words as one of its names, each with the same
   * consonant skeleton (in other scripts the last word may carry one more consonant, an ending:
   * "Тібуртіни", "টিবুর্তিনার"). Latin words must also be within a letter or two of the name
   * ("termni", "piazza vitorio"): a Latin skeleton alone is too loose.
   */
  private fuzzyPlace(padded: string): { place: PlaceRef; text: string } | undefined {
    const words = padded
      .replace(/ \| /g, ' ')
      .trim()
      .split(' ')
      .filter((w) => w && !/\d/.test(w));
    let best: { place: PlaceRef; text: string; length: number; distance: number } | undefined;
    for (let i = 0; i < words.length; i++) {
      for (let n = 1; n <= 3 && i + n <= words.length; n++) {
        const text = words.slice(i, i + n).join(' ');
        const window = words.slice(i, i + n).filter((w) => !linkWords.has(w));
        if (!window.length || cjk.test(text) || window.some((w) => notPlaces.has(w))) continue;
        const latin = /^[a-z' ]+$/.test(text);
        if (latin && text.replace(/ /g, '').length < 6) continue;
        const sks = window.map(skeleton);
        const length = sks.join('').length;
        if (length < 4 || (best && best.length > length)) continue;
        // The same skeleton, or (other scripts) one more consonant at the end of the last word: an ending.
        const last = sks.at(-1)!;
        const keys = [sks.join(' '), ...(!latin && last.length >= 4 ? [[...sks.slice(0, -1), last.slice(0, -1)].join(' ')] : [])];
        for (const s of keys.flatMap((k) => this.skeletons.get(k) ?? [])) {
          const distance = editDistance(
            window.join(' '),
            s.name
              .split(' ')
              .filter((w) => !linkWords.has(w))
              .join(' '),
          );
          if (latin && distance > (s.name.length >= 9 ? 2 : 1)) continue;
          // Between equal skeletons the closer spelling; then a district over its own metro stop
          // ("Garbatella"), a station over a district ("Тібуртіни": Tiburtina, not Tiburtino).
          const rank = (p: PlaceRef) => (p.name.includes('(') ? 0 : p.kind === 'station' ? 2 : 1);
          const better = !best || length > best.length || distance < best.distance || (distance === best.distance && rank(s.place) > rank(best.place));
          if (better) best = { place: s.place, text, length, distance };
        }
      }
    }
    return best && { place: best.place, text: best.text };
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
