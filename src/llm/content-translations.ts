/**
 * Content text for a reader: the reader's own language when the content has it, else a stored
 * translation (reviewed by a coordinator, or machine-translated once through the configured model),
 * else the fallback chain (`src/i18n/content.ts`). Any renderer calls {@link ContentTexts.pick} /
 * {@link ContentTexts.pickAll} with a record's reference (`explainer:<id>`, `space:<id>`, `event:<id>`)
 * and its per-language fields.
 *
 * Why this shape: a machine translation is made once per source text and cached in the database
 * (`content_translations`, keyed by ref + field + language + a hash of the source), so an edited
 * source is translated again and a rejected one is not. A reply never waits long for the model: past
 * {@link ContentTextsOptions.waitMs} it answers with the fallback now and the translation finishes in
 * the background for the next reader. Without a model, only rows in the database are used (a
 * coordinator can write translations by hand).
 */
import type { Clock } from '../clock.js';
import { pickTranslation } from '../i18n/content.js';
import { contentChain } from '../i18n/languages.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../logger.js';
import { sourceHash, type ContentTranslation, type TranslationStore } from '../storage/translation-store.js';
import type { Llm } from './client.js';
import { translateFields } from './translate.js';

/** Per-language texts of one field: `{ it: '…', en: '…' }`; blank counts as missing. */
export type LangFields = Record<string, string | undefined>;

/**
 * What a reader is shown for one field: the text, its language, and which note goes with it:
 * `none` (the reader's language, or a reviewed translation), `fallback` (another language from the
 * chain: say which), `machine` (translated automatically, not yet reviewed: say so).
 */
export interface PickedText {
  text: string;
  lang: string;
  note: 'none' | 'fallback' | 'machine';
}

export interface ContentTextsOptions {
  store: TranslationStore;
  /** The configured model; without it only stored (reviewed or cached) translations are used. */
  llm?: Llm;
  clock: Clock;
  log: Logger;
  /** How long a reply waits for a new translation before answering with the fallback (default 4 s). */
  waitMs?: number;
  /** How long the model's own call may take (default 30 s; it goes on in the background). */
  translateTimeoutMs?: number;
  /** After a failed translation, how long the same text is not asked again (default 10 min). */
  retryAfterMs?: number;
}

/** The best text to translate from: English, then Italian, then the reader's chain, then any. */
export function translationSource(fields: LangFields, lang: string): { lang: string; text: string } | undefined {
  const has = (code: string) => typeof fields[code] === 'string' && fields[code]!.trim() !== '';
  const code = ['en', 'it', ...contentChain(lang)].find(has) ?? Object.keys(fields).sort().find(has);
  return code ? { lang: code, text: fields[code]! } : undefined;
}

export class ContentTexts {
  private readonly inflight = new Map<string, Promise<Map<string, ContentTranslation>>>();
  private readonly failedUntil = new Map<string, number>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly opts: ContentTextsOptions) {}

  /** Whether missing translations are made by a model (otherwise only stored ones are used). */
  get machine(): boolean {
    return !!this.opts.llm;
  }

  /** One field of a record for a reader in `lang`; undefined when the field has no text at all. */
  async pick(ref: string, field: string, fields: LangFields, lang: string): Promise<PickedText | undefined> {
    return (await this.pickAll(ref, { [field]: fields }, lang))[field];
  }

  /**
   * Several fields of one record for a reader in `lang` (one database read, one model call for the
   * fields the language is missing). Never throws: any failure gives the fallback chain.
   */
  async pickAll<K extends string>(ref: string, record: Record<K, LangFields>, lang: string): Promise<Partial<Record<K, PickedText>>> {
    const out: Partial<Record<K, PickedText>> = {};
    const missing: { field: K; source: { lang: string; text: string }; hash: string }[] = [];
    for (const field of Object.keys(record) as K[]) {
      const offline = pickTranslation(record[field], lang);
      if (!offline) continue;
      out[field] = { text: offline.text, lang: offline.lang, note: offline.fallback ? 'fallback' : 'none' };
      if (!offline.fallback) continue;
      const source = translationSource(record[field], lang)!;
      missing.push({ field, source, hash: sourceHash(source.lang, source.text) });
    }
    if (missing.length === 0) return out;
    try {
      const stored = await this.opts.store.forRecord(ref, lang);
      const toTranslate: typeof missing = [];
      for (const m of missing) {
        const row = stored.get(m.field);
        if (row && row.sourceHash === m.hash) {
          // A rejected translation keeps the fallback until the source changes.
          if (row.status !== 'rejected') out[m.field] = shown(row, lang);
        } else toTranslate.push(m);
      }
      if (toTranslate.length === 0 || !this.opts.llm) return out;
      const made = await this.translateWithin(ref, lang, toTranslate);
      for (const m of toTranslate) {
        const row = made?.get(m.field);
        if (row && row.sourceHash === m.hash && row.status !== 'rejected') out[m.field] = shown(row, lang);
      }
    } catch (err) {
      this.opts.log.warn({ ref, lang, err: errorMessage(err) }, 'content translation: lookup failed; showing the fallback');
    }
    return out;
  }

  /**
   * One field of many records (a list, a row of buttons): stored translations only, one database
   * read, no model call and no wait. A record's card ({@link pickAll}) is where a translation is made.
   */
  async pickStored(items: { ref: string; fields: LangFields }[], field: string, lang: string): Promise<(PickedText | undefined)[]> {
    const out = items.map(({ fields }): PickedText | undefined => {
      const p = pickTranslation(fields, lang);
      return p && { text: p.text, lang: p.lang, note: p.fallback ? 'fallback' : 'none' };
    });
    const need = items.filter((_, i) => out[i]?.note === 'fallback').map((x) => x.ref);
    if (need.length === 0) return out;
    try {
      const stored = await this.opts.store.forRefs(need, field, lang);
      items.forEach((item, i) => {
        const row = stored.get(item.ref);
        const source = translationSource(item.fields, lang);
        if (row && source && row.status !== 'rejected' && row.sourceHash === sourceHash(source.lang, source.text)) out[i] = shown(row, lang);
      });
    } catch (err) {
      this.opts.log.warn({ lang, err: errorMessage(err) }, 'content translation: lookup failed; showing the fallback');
    }
    return out;
  }

  /**
   * Waits for background translations to finish (before closing the database), at most `maxMs`:
   * a shutdown does not wait for a slow model; a translation cut short is simply made again later.
   */
  async idle(maxMs = Infinity): Promise<void> {
    const until = Date.now() + maxMs;
    while (this.background.size > 0 && Date.now() < until) {
      let timer: NodeJS.Timeout | undefined;
      const cap = Number.isFinite(maxMs) ? new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, until - Date.now())))) : new Promise<void>(() => undefined);
      await Promise.race([Promise.allSettled([...this.background]), cap]);
      clearTimeout(timer);
    }
  }

  /** The translation of `fields`, or undefined when it is not ready within the wait budget. */
  private async translateWithin(ref: string, lang: string, fields: { field: string; source: { lang: string; text: string }; hash: string }[]): Promise<Map<string, ContentTranslation> | undefined> {
    const results = new Map<string, ContentTranslation>();
    // One model call per source language (nearly always one: English).
    const bySource = new Map<string, typeof fields>();
    for (const f of fields) bySource.set(f.source.lang, [...(bySource.get(f.source.lang) ?? []), f]);
    const jobs = [...bySource].map(([from, group]) => this.translateOnce(ref, lang, from, group));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.opts.waitMs ?? 4000);
    });
    const done = await Promise.race([Promise.all(jobs), timeout]);
    clearTimeout(timer);
    if (done === 'timeout') {
      this.opts.log.info({ ref, lang }, 'content translation: not ready in time; the fallback is shown and the translation goes on');
      return undefined;
    }
    for (const m of done) for (const [k, v] of m) results.set(k, v);
    return results;
  }

  /**
   * Translates a group of fields once: concurrent readers of the same record, language and source
   * share one model call; the database's unique key keeps one row per field even across processes.
   */
  private translateOnce(ref: string, lang: string, from: string, group: { field: string; source: { text: string }; hash: string }[]): Promise<Map<string, ContentTranslation>> {
    const key = `${ref}|${lang}|${group
      .map((g) => `${g.field}:${g.hash}`)
      .sort()
      .join(',')}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const now = this.opts.clock.now().getTime();
    if ((this.failedUntil.get(key) ?? 0) > now) return Promise.resolve(new Map());
    const llm = this.opts.llm!;
    const job = (async () => {
      const res = await translateFields(llm, Object.fromEntries(group.map((g) => [g.field, g.source.text])), from, lang, { timeoutMs: this.opts.translateTimeoutMs ?? 30_000 });
      const made = new Map<string, ContentTranslation>();
      if (!res.ok) {
        // Refused (a number or link changed, not JSON, server down): not stored, not asked again for a while.
        this.failedUntil.set(key, this.opts.clock.now().getTime() + (this.opts.retryAfterMs ?? 10 * 60_000));
        this.opts.log.warn({ ref, lang, reason: res.reason }, 'content translation: refused; the fallback is shown');
        return made;
      }
      for (const g of group) {
        const row = await this.opts.store.putMachine({ ref, field: g.field, lang, sourceLang: from, sourceText: g.source.text, text: res.value[g.field]! }, this.opts.clock.now());
        if (row) made.set(g.field, row);
      }
      this.opts.log.info({ ref, lang, fields: group.length }, 'content translation: stored a machine translation');
      return made;
    })()
      .catch((err: unknown) => {
        this.opts.log.warn({ ref, lang, err: errorMessage(err) }, 'content translation: could not store');
        return new Map<string, ContentTranslation>();
      })
      .finally(() => {
        this.inflight.delete(key);
        this.background.delete(job);
      });
    this.inflight.set(key, job);
    this.background.add(job);
    return job;
  }
}

/** How a stored translation is shown: reviewed ones as the reader's own text, machine ones with a note. */
function shown(row: ContentTranslation, lang: string): PickedText {
  return { text: row.text, lang, note: row.status === 'reviewed' ? 'none' : 'machine' };
}
