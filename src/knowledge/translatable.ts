/**
 * The content fields that carry one text per language, by record reference: what the content
 * translation service, the `/translations` review page and `coworkbot translations` work on.
 */
import type { LangFields } from '../llm/content-translations.js';
import { priceNoteFields, type KnowledgeContent } from './content.js';

/** One record's per-language fields: `explainer:<id>` (title, text), `space:<id>` (description, price_note), `event:<id>` (title, description). */
export interface TranslatableRecord {
  ref: string;
  /** A short name for people (the topic's English title, the space's name, the event's title). */
  label: string;
  fields: Record<string, LangFields>;
}

/** Every translatable record of the imported content. */
export function translatableContent(content: KnowledgeContent): TranslatableRecord[] {
  return [
    ...content.explainer.map((t) => ({ ref: `explainer:${t.id}`, label: t.title.en ?? t.title.it ?? t.id, fields: { title: t.title, text: t.text } })),
    ...content.spaces.map((s) => ({
      ref: `space:${s.id}`,
      label: s.name,
      fields: { description: s.descriptions, ...(Object.keys(priceNoteFields(s)).length ? { price_note: priceNoteFields(s) } : {}) },
    })),
    ...content.events.map((e) => ({ ref: `event:${e.id}`, label: e.title, fields: { title: e.titles, description: e.descriptions } })),
  ];
}
