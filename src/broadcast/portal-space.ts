/**
 * The staff portal's space card editor (`/staff/space`): hours, services, the staff's languages,
 * the price note and the description per language. Staff edit only their own space (any other
 * space answers 404, as if it did not exist); coordinators and admins choose any space.
 * Saved through the app's `staffContent`, so the bot answers with the new card at once.
 */
import type { Hono } from 'hono';
import type { Config } from '../config.js';
import { languageCodes } from '../i18n/languages.js';
import type { ServiceTag, Space } from '../knowledge/content.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Logger } from '../logger.js';
import { configuredLlm } from '../llm/client.js';
import { numbersDiffer, translateFields } from '../llm/translate.js';
import { StaffContentError, type FieldErrors, type SpaceEdit, type StaffContentStore } from '../storage/staff-content-store.js';
import { signedIn, requireRole, type AuthEnv } from '../web/auth.js';
import { canEditSpace, layout, uiFor, type C, type Html } from './portal-layout.js';
import { draftNote, errorBody, spaceFormBody, spaceListBody, type SpaceFormValues } from './portal-views.js';
import type { PortalText as Ui } from '../i18n/staff-strings.js';

const roles = ['staff', 'coordinator', 'admin'] as const;
/** How many description drafts are made at once (each is one model call). */
const DRAFT_CONCURRENCY = 4;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `full` that differ from the imported space (the description's language goes with the descriptions). */
function changedFields(full: SpaceEdit, imported: Space): SpaceEdit {
  const out: SpaceEdit = {};
  if (full.hours !== imported.hours) out.hours = full.hours;
  if (!same([...(full.services ?? [])].sort(), [...imported.services].sort())) out.services = full.services;
  if (!same(full.languages, imported.languages)) out.languages = full.languages;
  if ((full.priceNote ?? '') !== (imported.priceNote ?? '')) out.priceNote = full.priceNote;
  const sorted = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
  if (!same(sorted(full.descriptions ?? {}), sorted(imported.descriptions))) {
    out.descriptions = full.descriptions;
    out.sourceLang = full.sourceLang;
  }
  return out;
}

/** What the space card editor needs of the running bot (a narrow port; the assembled App satisfies it as it is). */
export interface SpacePagesPorts {
  /** The model that drafts missing description languages (when configured). */
  readonly config: Config;
  /** The spaces, and each space as imported (only what differs from it is saved as an edit). */
  readonly knowledge: Pick<KnowledgeBase, 'content' | 'space' | 'importedSpace'>;
  /** Staff edits: saved here, the bot answers with the new card at once. */
  readonly staffContent: Pick<StaffContentStore, 'getSpaceEdit' | 'saveSpaceEdit'>;
  readonly log: Logger;
}

export function mountSpacePages(r: Hono<AuthEnv>, app: SpacePagesPorts): void {
  const llm = configuredLlm(app.config);

  /** Fills the empty description languages with machine drafts (not saved: shown for review). */
  async function draft(v: SpaceFormValues): Promise<{ drafted: string[]; failed: string[] }> {
    const source = v.descriptions[v.sourceLang];
    if (!llm || !source) return { drafted: [], failed: [] };
    const targets = languageCodes.filter((l) => l !== v.sourceLang && !v.descriptions[l]);
    const drafted: string[] = [];
    const failed: string[] = [];
    for (let i = 0; i < targets.length; i += DRAFT_CONCURRENCY) {
      await Promise.all(
        targets.slice(i, i + DRAFT_CONCURRENCY).map(async (to) => {
          const res = await translateFields(llm, { description: source }, v.sourceLang, to);
          if (!res.ok || !res.value.description) {
            app.log.warn({ to, reason: res.ok ? 'empty' : res.reason }, 'staff portal: no description draft');
            failed.push(to);
            return;
          }
          v.descriptions[to] = res.value.description;
          drafted.push(to);
        }),
      );
    }
    v.machine = [...new Set([...v.machine, ...drafted])];
    return { drafted: drafted.sort(), failed: failed.sort() };
  }

  /** The space when this account may edit it; otherwise undefined (answered 404). */
  const spaceFor = (c: C): Space | undefined => {
    const id = c.req.param('id') ?? '';
    const space = app.knowledge.space(id);
    return space && canEditSpace(signedIn(c), id) ? space : undefined;
  };
  const notFound = (c: C) => c.html(layout(c, 'Not found', errorBody(uiFor(c)('notFound'))), 404);

  /** The space form for this request, with the warnings worked out. */
  const spaceForm = (c: C, ui: Ui, space: Space, v: SpaceFormValues, errors: FieldErrors, note?: string | Html): Html => {
    const differ = Object.fromEntries(languageCodes.map((l) => [l, numbersDiffer(v.descriptions[v.sourceLang] ?? '', v.descriptions[l] ?? '')]));
    return spaceFormBody(ui, { space, values: v, errors, note, canDraft: llm !== undefined, differ, csrf: c.get('csrf') });
  };

  r.get('/space', requireRole(...roles), (c) => {
    const account = signedIn(c);
    const ui = uiFor(c);
    if (account.role === 'staff') {
      if (!account.spaceId) return c.html(layout(c, ui('nav.space'), errorBody(ui('unlinked'))), 403);
      return c.redirect(`/staff/space/${account.spaceId}`, 302);
    }
    const spaces = app.knowledge.content.spaces;
    return c.html(layout(c, ui('spaces.title'), spaceListBody(ui, spaces)));
  });

  r.get('/space/:id', requireRole(...roles), async (c) => {
    const space = spaceFor(c);
    if (!space) return notFound(c);
    const ui = uiFor(c);
    const stored = await app.staffContent.getSpaceEdit(space.id);
    const sourceLang = stored?.edit.sourceLang ?? (space.descriptions.it ? 'it' : 'en');
    const values: SpaceFormValues = {
      hours: space.hours,
      services: space.services,
      languages: space.languages.join(', '),
      priceNote: space.priceNote ?? '',
      sourceLang,
      descriptions: { ...space.descriptions },
      machine: [],
    };
    const note = c.req.query('saved') ? ui('space.saved') : stored ? ui('space.editedBy', { at: stored.updatedAt.toISOString().slice(0, 16).replace('T', ' '), by: stored.updatedBy }) : undefined;
    return c.html(layout(c, ui('space.title', { name: space.name }), spaceForm(c, ui, space, values, {}, note)));
  });

  r.post('/space/:id', requireRole(...roles), async (c) => {
    const space = spaceFor(c);
    if (!space) return notFound(c);
    const ui = uiFor(c);
    const form = await c.req.parseBody({ all: true });
    const one = (k: string) => {
      const v = form[k];
      return typeof v === 'string' ? v : '';
    };
    const many = (k: string) => [form[k] ?? []].flat().filter((x): x is string => typeof x === 'string');
    const values: SpaceFormValues = {
      hours: one('hours').trim(),
      services: many('services'),
      languages: one('languages'),
      priceNote: one('price_note'),
      sourceLang: one('source_lang'),
      descriptions: Object.fromEntries(languageCodes.map((l) => [l, one(`description_${l}`)]).filter(([, v]) => v!.trim())),
      machine: one('machine')
        .split(',')
        .filter((l) => languageCodes.includes(l)),
    };
    const show = (errors: FieldErrors, note?: Html, status: 200 | 400 = 200) => c.html(layout(c, ui('space.title', { name: space.name }), spaceForm(c, ui, space, values, errors, note)), status);
    if (one('action') === 'draft') {
      // Drafts are shown for review in the form; nothing is saved until Save.
      if (!languageCodes.includes(values.sourceLang) || !values.descriptions[values.sourceLang]) return show({ [`description_${values.sourceLang}`]: ui('space.draftNeedsText') }, undefined, 400);
      const { drafted, failed } = await draft(values);
      return show({}, draftNote(ui, drafted, failed));
    }
    const full: SpaceEdit = {
      hours: values.hours,
      services: values.services as ServiceTag[],
      priceNote: values.priceNote.trim(),
      sourceLang: values.sourceLang,
      descriptions: values.descriptions,
      languages: values.languages
        .split(/[\s,;]+/)
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    };
    // Only what differs from the spreadsheet is an edit: the other fields keep following the import.
    const patch = changedFields(full, app.knowledge.importedSpace(space.id) ?? space);
    try {
      await app.staffContent.saveSpaceEdit(space.id, patch, `staff:${signedIn(c).id}`, { replace: true });
    } catch (err) {
      if (!(err instanceof StaffContentError)) throw err;
      return show(err.fields, undefined, 400);
    }
    return c.redirect(`/staff/space/${space.id}?saved=1`, 303);
  });
}
