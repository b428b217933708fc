/**
 * The flow file format: a versioned YAML document validated with zod. Older format versions are
 * migrated forward step by step before validation (see {@link migrations}), so a flow written for
 * format 1 keeps working after the format changes.
 */
import { z } from 'zod';
import { globalCommands } from '../core/feature.js';

/** The format version this code reads. Files with a lower `format` are migrated forward. */
export const CURRENT_FORMAT = 2;

/** Words a flow id or a step id may not use: they are taken by the feature's own choice ids. */
export const reservedIds = ['a', 'x', 'e', 'card', 'go'] as const;

const id = z.string().regex(/^[a-z][a-z0-9_]{0,23}$/, 'lowercase letters, digits and _, starting with a letter, at most 24 characters');

/**
 * Something the bot says: a translation key (`flows:incubation.stage.q`) or the text per language
 * (`{ en: "…", it: "…" }`, English required: it is the fallback).
 */
export const textSchema = z.union([
  z.string().regex(/^[a-z]+:[A-Za-z0-9_.]+$/, 'a translation key such as flows:incubation.stage.q'),
  z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1)).refine((m) => typeof m.en === 'string', 'per-language text needs at least "en"'),
]);
export type Text = z.infer<typeof textSchema>;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A condition on the answers collected so far. */
export type Condition = { field: string; is?: z.infer<typeof scalar> | z.infer<typeof scalar>[]; has?: string; answered?: boolean } | { any: Condition[] } | { all: Condition[] };

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z
      .object({ field: id, is: z.union([scalar, z.array(scalar)]).optional(), has: z.string().optional(), answered: z.boolean().optional() })
      .strict()
      .refine((c) => c.is !== undefined || c.has !== undefined || c.answered !== undefined, 'a condition needs "is", "has" or "answered"'),
  ]),
);

const optionSchema = z.object({ value: id, label: textSchema }).strict();

export const askKinds = ['text', 'choice', 'multi', 'yesno', 'number', 'location', 'district'] as const;
export type AskKind = (typeof askKinds)[number];

const base = { id, next: id.optional() };

/**
 * What a `say` step says: one text, or a few texts shown as one message (paragraphs), so a greeting
 * and the privacy line arrive together.
 */
export const sayTextSchema = z.union([textSchema, z.array(textSchema).min(1).max(4)]);
export type SayText = z.infer<typeof sayTextSchema>;

/**
 * A button under a `say` message that runs a global command (`cmd:<name>`). Global commands work
 * anywhere, so such a button never holds the person in the flow.
 */
const commandButtonSchema = z.object({ command: z.enum(globalCommands), label: textSchema }).strict();

const saySchema = z.object({ ...base, type: z.literal('say'), text: sayTextSchema, commands: z.array(commandButtonSchema).min(1).max(3).optional() }).strict();

const askSchema = z
  .object({
    ...base,
    type: z.literal('ask'),
    kind: z.enum(askKinds),
    /** The answer is stored under this field name. */
    field: id,
    prompt: textSchema,
    /** Options for choice, multi and district. */
    options: z.array(optionSchema).max(12).optional(),
    /** Whether the person may skip this question. */
    skippable: z.boolean().default(false),
    /** For choice / multi / district / location: text that matches no option is kept as the person's own words. */
    freeText: z.boolean().default(false),
    min: z.number().optional(),
    max: z.number().optional(),
    /** The answer is an enum safe to record in insight events (never set this on free-text questions). */
    insight: z.boolean().default(false),
    /** Shown on the project card, and correctable from it, under this label. */
    card: textSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const needsOptions = s.kind === 'choice' || s.kind === 'multi' || s.kind === 'district';
    if (needsOptions && !s.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: `a "${s.kind}" question needs options` });
    if (!needsOptions && s.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `a "${s.kind}" question takes no options` });
    if (s.insight && (s.kind === 'text' || s.freeText)) ctx.addIssue({ code: 'custom', path: ['insight'], message: 'free-text answers must never go to insight events' });
    const values = (s.options ?? []).map((o) => o.value);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['options'], message: `option value "${dup}" appears twice` });
    if (values.includes('done') && s.kind === 'multi') ctx.addIssue({ code: 'custom', path: ['options'], message: '"done" is reserved in multi questions' });
  });

const branchSchema = z
  .object({
    ...base,
    type: z.literal('branch'),
    cases: z.array(z.object({ when: conditionSchema, goto: id }).strict()).min(1),
    else: id.optional(),
  })
  .strict();

const setSchema = z.object({ ...base, type: z.literal('set'), field: id, value: z.union([scalar, z.array(z.string())]) }).strict();

export const actionKinds = ['card', 'matches', 'subscribe', 'handoff', 'language', 'menu', 'end'] as const;
export type ActionKind = (typeof actionKinds)[number];

const actionSchema = z.object({ ...base, type: z.literal('action'), action: z.enum(actionKinds), text: textSchema.optional() }).strict();

export const stepSchema = z.discriminatedUnion('type', [saySchema, askSchema, branchSchema, setSchema, actionSchema]);
export type Step = z.infer<typeof stepSchema>;
export type AskStep = Extract<Step, { type: 'ask' }>;

export const flowSchema = z
  .object({
    format: z.literal(CURRENT_FORMAT),
    id: id.refine((v) => !(reservedIds as readonly string[]).includes(v), 'this id is reserved'),
    /** The content version: bump it when steps change, so stored runs of an older version restart cleanly. */
    version: z.number().int().positive(),
    title: textSchema,
    /**
     * Facts the feature fills in as answers before the first step (the onboarding flow gets
     * `language_known`, `language_asked`, `question`), so branches can use them.
     */
    given: z.array(id).max(8).default([]),
    /** After this many hours without an answer, coming back asks "Continue where you left off?". */
    askToContinueAfterHours: z.number().positive().default(12),
    /** After this many hours without an answer, the run is dropped (a new one starts). */
    expiresAfterHours: z
      .number()
      .positive()
      .default(24 * 30),
    steps: z.array(stepSchema).min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const ids = new Map<string, number>();
    f.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `step id "${s.id}" is used twice` });
      ids.set(s.id, i);
    });
    const check = (target: string | undefined, path: (string | number)[]) => {
      if (target !== undefined && !ids.has(target)) ctx.addIssue({ code: 'custom', path, message: `no step with id "${target}"` });
    };
    f.steps.forEach((s, i) => {
      check(s.next, ['steps', i, 'next']);
      if (s.type === 'branch') {
        s.cases.forEach((c, j) => check(c.goto, ['steps', i, 'cases', j, 'goto']));
        check(s.else, ['steps', i, 'else']);
      }
    });
    const fields = new Map<string, string>(f.given.map((g) => [g, 'given']));
    f.steps.forEach((s, i) => {
      if (s.type !== 'ask') return;
      const seen = fields.get(s.field);
      if (seen) ctx.addIssue({ code: 'custom', path: ['steps', i, 'field'], message: `field "${s.field}" is already asked by step "${seen}"` });
      fields.set(s.field, s.id);
    });
    if (!f.steps.some((s) => s.type === 'ask' || s.type === 'say')) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'a flow needs at least one say or ask step' });
  });

export type Flow = z.infer<typeof flowSchema>;

/**
 * Format migrations: `migrations[n]` turns a format-n document into format n+1. They work on plain
 * data (before validation) and must never lose information.
 */
export const migrations: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  /**
   * Format 1 → 2: questions were `{ type: question, input: …, question: …, choices: […] }`;
   * format 2 calls them `{ type: ask, kind: …, prompt: …, options: […] }` and gives flows a `title`.
   */
  1: (doc) => {
    const steps = Array.isArray(doc.steps) ? doc.steps : [];
    return {
      ...doc,
      format: 2,
      title: doc.title ?? doc.name ?? { en: String(doc.id ?? 'flow') },
      name: undefined,
      steps: steps.map((raw) => {
        if (!raw || typeof raw !== 'object') return raw;
        const s = raw as Record<string, unknown>;
        if (s.type !== 'question') return s;
        const { input, question, choices, ...rest } = s;
        return { ...rest, type: 'ask', kind: input, prompt: question, ...(choices !== undefined ? { options: choices } : {}) };
      }),
    };
  },
};

/** Brings a parsed document up to {@link CURRENT_FORMAT}. Unknown or future formats are left for zod to reject. */
export function migrateDocument(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  let d = doc as Record<string, unknown>;
  while (typeof d.format === 'number' && d.format < CURRENT_FORMAT && migrations[d.format]) {
    d = migrations[d.format]!(d);
    for (const k of Object.keys(d)) if (d[k] === undefined) delete d[k];
  }
  return d;
}
