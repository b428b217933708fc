/**
 * The rules staff edits to the knowledge content are checked against: the CSV import's
 * (opening_hours syntax, service and topic tags, language codes, dates). The staff content store
 * runs them before every write ({@link staffContentChecks}); the portal runs them to show a form's errors.
 */
import { languageCodes } from '../i18n/languages.js';
import type { Checked, FieldErrors, SpaceEdit, StaffContentChecks, StaffEventInput } from '../storage/staff-content-store.js';
import { checkHours, isIsoLanguage, serviceTags, topicTags } from './content.js';

/** Longest title, description and price note accepted (a chat message, not a brochure). */
export const MAX_TITLE = 120;
export const MAX_DESCRIPTION = 1500;
export const MAX_PRICE_NOTE = 200;

function texts(map: Record<string, string>, field: string, max: number, errors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lang, raw] of Object.entries(map)) {
    const v = raw.trim();
    if (!v) continue;
    if (!languageCodes.includes(lang)) errors[`${field}_${lang}`] = `"${lang}" is not one of the bot's languages`;
    else if (v.length > max) errors[`${field}_${lang}`] = `too long: at most ${max} characters (now ${v.length})`;
    else out[lang] = v;
  }
  return out;
}

function checkLanguages(list: string[], errors: FieldErrors): string[] {
  const bad = list.find((c) => !isIsoLanguage(c));
  if (bad !== undefined) errors.languages = `"${bad}" is not an ISO 639-1 language code (two letters, e.g. ar, fr, uk)`;
  return [...new Set(list)];
}

/**
 * Checks an event with the CSV import's rules. Returns the cleaned input (texts trimmed, empty
 * languages dropped) or the errors per field (`title_<lang>`, `description_<lang>`, `start`, `end`,
 * `price`, `topics`, `languages`, `sourceLang`, `spaceId`).
 */
export function validateEvent(input: StaffEventInput, spaceIds?: readonly string[]): Checked<StaffEventInput> {
  const errors: FieldErrors = {};
  if (!input.spaceId || (spaceIds && !spaceIds.includes(input.spaceId))) errors.spaceId = `no space with id "${input.spaceId}"`;
  const title = texts(input.title ?? {}, 'title', MAX_TITLE, errors);
  const description = texts(input.description ?? {}, 'description', MAX_DESCRIPTION, errors);
  if (!languageCodes.includes(input.sourceLang)) errors.sourceLang = 'choose the language you write in';
  else if (!title[input.sourceLang] && !errors[`title_${input.sourceLang}`]) errors[`title_${input.sourceLang}`] = 'the title is empty';
  if (!(input.start instanceof Date) || Number.isNaN(input.start.getTime())) errors.start = 'give a date and a time';
  if (input.end !== undefined) {
    if (!(input.end instanceof Date) || Number.isNaN(input.end.getTime())) errors.end = 'not a valid time';
    else if (!errors.start && input.end.getTime() < input.start.getTime()) errors.end = 'ends before it starts';
  }
  if (input.price !== 'free' && input.price !== 'paid') errors.price = 'must be free or paid';
  const badTopic = (input.topics ?? []).find((t) => !(topicTags as readonly string[]).includes(t));
  if (badTopic !== undefined) errors.topics = `unknown topic "${badTopic}" (allowed: ${topicTags.join(' ')})`;
  const languages = checkLanguages(input.languages ?? [], errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  const machineDrafted = (input.machineDrafted ?? []).filter((l) => l !== input.sourceLang && (title[l] || description[l]));
  return {
    ok: true,
    value: {
      spaceId: input.spaceId,
      title,
      description,
      sourceLang: input.sourceLang,
      start: input.start,
      end: input.end,
      price: input.price,
      topics: [...new Set(input.topics)],
      languages,
      ...(machineDrafted.length ? { machineDrafted } : {}),
    },
  };
}

/** Checks a space edit with the CSV import's rules (hours syntax, service tags, language codes). */
export function validateSpaceEdit(edit: SpaceEdit): Checked<SpaceEdit> {
  const errors: FieldErrors = {};
  const out: SpaceEdit = {};
  if (edit.hours !== undefined) {
    const h = edit.hours.trim();
    const bad = h === '' ? 'the hours are empty' : checkHours(h);
    if (bad) errors.hours = `not valid opening_hours syntax (e.g. "Mo-Fr 09:00-19:00; Sa 10:00-13:00"): ${bad}`;
    else out.hours = h;
  }
  if (edit.services !== undefined) {
    const bad = edit.services.find((t) => !(serviceTags as readonly string[]).includes(t));
    if (bad !== undefined) errors.services = `unknown service "${bad}"`;
    else out.services = [...new Set(edit.services)];
  }
  if (edit.languages !== undefined) out.languages = checkLanguages(edit.languages, errors);
  if (edit.priceNote !== undefined) {
    const v = edit.priceNote.trim();
    if (v.length > MAX_PRICE_NOTE) errors.priceNote = `too long: at most ${MAX_PRICE_NOTE} characters`;
    else out.priceNote = v;
  }
  if (edit.sourceLang !== undefined) {
    if (!languageCodes.includes(edit.sourceLang)) errors.sourceLang = 'choose the language you write in';
    else out.sourceLang = edit.sourceLang;
  }
  if (edit.descriptions !== undefined) {
    out.descriptions = texts(edit.descriptions, 'description', MAX_DESCRIPTION, errors);
    if (out.sourceLang && !out.descriptions[out.sourceLang] && Object.keys(out.descriptions).length > 0 && !errors[`description_${out.sourceLang}`]) {
      errors[`description_${out.sourceLang}`] = 'write the description in the language you chose first';
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: out };
}

/** The checks the staff content store is given (src/storage/staff-content-store.ts). */
export const staffContentChecks: StaffContentChecks = { event: validateEvent, spaceEdit: validateSpaceEdit };
