/**
 * The understanding step, before the router: `understand(text, context)` → intent, confidence,
 * entities and language evidence, for every feature to act on instead of matching its own words.
 *
 * Offline, in this order:
 * 1. the safety check (curated lists in every language, `src/handoff/safety.ts`): a match is `safety`
 *    whatever else the message says, and it never depends on a model;
 * 2. fixed rules: a global command word, `/start`, a request for a language by name;
 * 3. the intent model trained on `data/intents/` (see `model.ts`); its `safety` probability is a
 *    second safety signal (a false alarm costs a person's time; a miss costs more), and a cue that
 *    someone asks for a person (`cues.ts`) overrides a weak or unrelated reading;
 * 4. entities from the knowledge's query parser (`entities.ts`), and the explainer topic.
 *
 * With a model configured, {@link Understander.understand} asks it (structured output, `llm.ts`) and
 * keeps the offline reading when it fails, is slow or answers outside the allowed values. The safety
 * check stays offline either way.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GlobalCommand } from '../core/feature.js';
import { TextMemo } from '../core/memo.js';
import { detectLanguage } from '../i18n/detect.js';
import { requestedLanguage } from '../i18n/names.js';
import { detectSafety } from '../handoff/safety.js';
import type { ExplainerTopic, KnowledgeContent } from '../knowledge/content.js';
import type { Matcher } from '../knowledge/query.js';
import type { Llm } from '../llm/client.js';
import type { Logger } from '../logger.js';
import { asksForPerson } from './cues.js';
import { entitiesOf, ExplainTopicMatcher } from './entities.js';
import { readWithoutFraming } from './framing.js';
import { intents, UNSURE, type Entities, type Intent, type UnderstandContext, type Understanding } from './intents.js';
import { llmUnderstanding } from './llm.js';
import { augmentExamples } from './augment.js';
import { LinearIntentModel, type IntentClassifier, type Scores } from './model.js';
import { intentsDir, loadPhrases } from './phrases.js';
import { readCached, writeCached } from '../cache-dirs.js';
import { mark } from '../timing.js';

/** Intents whose answers use entities (the others skip the parser). */
const withEntities = new Set<Intent>(['find_space', 'events', 'explain', 'oos_papers', 'oos_housing', 'oos_health', 'oos_money', 'oos_jobs']);

/** A greeting or thanks this long (in words) carries a request: the request is the intent. */
const GREETING_MAX_WORDS = 5;

function wordCount(text: string): number {
  return [...new Intl.Segmenter(undefined, { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).length;
}

/**
 * The model's safety probability from which its first reading counts as safety without a list match.
 * Set on the dev split and the training phrases' cross-validation: no message of another intent reads
 * this high there, and a false alarm only brings a person in.
 */
export const SAFETY_SECOND_SIGNAL = 0.2;
/** …and from which it counts even when another intent reads higher. */
export const SAFETY_BEHIND = 0.25;

/**
 * Readings a request for a person (a cue of `cues.ts`) overrides: the model's guess when it is weak
 * or one of these intents. A cue does not override a request for a language, a space or a project
 * read with confidence ("a space where staff speak Arabic" is a space). It does override an
 * explanation: "can I meet a facilitator?" reads like "what is a facilitator?", and a person can
 * explain too, while a request for a person read as a question leaves them with the bot.
 */
const PERSON_OVERRIDES = new Set<Intent>([
  'other',
  'greeting',
  'thanks',
  'menu',
  'events',
  'subscribe',
  'unsubscribe',
  'oos_papers',
  'oos_housing',
  'oos_health',
  'oos_money',
  'oos_jobs',
  'privacy_info',
  'explain',
]);
/** Below this confidence any reading but `language` gives way to a cue for a person. */
const PERSON_WEAK = 0.5;

/** Global commands and the intent each one is. */
const commandIntent: Record<GlobalCommand, Intent> = {
  menu: 'menu',
  help: 'menu',
  language: 'language',
  human: 'human',
  stop: 'unsubscribe',
  privacy: 'privacy_info',
  delete: 'privacy_delete',
};

export interface UnderstanderDeps {
  /** The offline intent model (default: trained once per process from `data/intents/`). */
  model?: IntentClassifier;
  /**
   * The current content and its query parser (`KnowledgeBase` fits): entities, explainer topics and
   * place names. None: no entities.
   */
  knowledge?: () => { matcher: Pick<Matcher, 'understand'>; content: Pick<KnowledgeContent, 'explainer' | 'gazetteer'> } | undefined;
  /** The router's command words. */
  commandFor?: (text: string) => GlobalCommand | undefined;
  /** A configured model server: it does the understanding, the offline step is the fallback. */
  llm?: Llm;
  /** How long the model may take before the offline reading is used (ms). */
  llmTimeoutMs?: number;
  log?: Logger;
}

let trained: LinearIntentModel | undefined;

/**
 * The offline intent model, trained once from `data/intents/` (several seconds) and kept in the cache
 * directories (`src/cache-dirs.ts`: `node_modules/.cache/coworkbot/`, filled at install by
 * `coworkbot migrate --template`, then the temporary directory) under a hash of the phrases and the
 * model code, so a process (a start, a test file) reads it in milliseconds instead. A changed phrase
 * retrains.
 */
export function offlineModel(): LinearIntentModel {
  if (trained) return trained;
  mark('intent model: loading');
  const name = offlineModelName();
  trained = readCached(name, (bytes) => LinearIntentModel.deserialize(bytes));
  mark(trained ? 'intent model: read from cache' : 'intent model: training');
  if (!trained) {
    const bytes = LinearIntentModel.train(augmentExamples(loadPhrases())).serialize();
    // The packed form read back, as from the cache: the same model either way, in less memory.
    trained = LinearIntentModel.deserialize(bytes)!;
    writeCached(name, bytes); // none took it: train again next time
    mark('intent model: trained and cached');
  }
  return trained;
}

/**
 * The cached model's file name: keyed by the phrase files' bytes (not their parsed phrases: parsing
 * every file costs ~0.5 s) and the model code; files that did not change trained the cached model,
 * so they passed the checks then.
 */
function offlineModelName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(intentsDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(intentsDir, file)))
      .update('\0');
  const key = hash.update(readFileSync(modelSource)).update(readFileSync(featuresSource)).update(readFileSync(augmentSource)).digest('hex').slice(0, 20);
  return `intents-${key}.bin`;
}

const modelSource = fileURLToPath(new URL(`./model${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const featuresSource = fileURLToPath(new URL(`./features${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const augmentSource = fileURLToPath(new URL(`./augment${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export class Understander {
  private explainMatcher: { topics: readonly ExplainerTopic[]; matcher: ExplainTopicMatcher } | undefined;
  /** Offline readings per text, for the content they were read with (a new import starts afresh). */
  private readonly readings = new TextMemo<Understanding>();
  private readingsFor: { matcher?: unknown; content?: unknown } = {};

  constructor(private readonly deps: UnderstanderDeps = {}) {}

  private get model(): IntentClassifier {
    return this.deps.model ?? offlineModel();
  }

  /**
   * The reading of a message: the configured model's when there is one and it answers well in time,
   * otherwise the offline one. A safety match offline is final (the model is not asked).
   */
  async understand(text: string, ctx: UnderstandContext = {}, offlineReading?: Understanding): Promise<Understanding> {
    const offline = offlineReading ?? this.offline(text, ctx);
    const { llm } = this.deps;
    if (!llm || offline.intent === 'safety' || offline.source === 'rule') return offline;
    const res = await llmUnderstanding(llm, text, { lang: ctx.lang, places: this.placeNames(), timeoutMs: this.deps.llmTimeoutMs });
    if (!res.ok) {
      this.deps.log?.warn({ reason: res.reason }, 'understand: the model did not answer usably; the offline reading is used');
      return offline;
    }
    const v = res.value;
    return { ...v, entities: { ...offline.entities, ...v.entities }, language: offline.language, source: 'llm', alternatives: offline.alternatives.filter((a) => a.intent !== v.intent) };
  }

  /**
   * The offline reading (synchronous, no network). The context is a hint the rules do not use yet.
   * Remembered per text while the content stays the same (the model and the rules never change in a
   * process); each call gets its own copy.
   */
  offline(text: string, _ctx: UnderstandContext = {}): Understanding {
    const k = this.deps.knowledge?.();
    if (this.readingsFor.matcher !== k?.matcher || this.readingsFor.content !== k?.content) {
      this.readings.clear();
      this.readingsFor = { matcher: k?.matcher, content: k?.content };
    }
    return structuredClone(this.readings.get(text, () => this.read(text)));
  }

  private read(text: string): Understanding {
    const trimmed = text.trim();
    const detected = trimmed ? detectLanguage(trimmed) : undefined;
    const language = detected ? { lang: detected.lang, confidence: detected.confidence } : { confidence: 0 };
    const scores = trimmed ? readWithoutFraming((t) => this.model.classify(t), trimmed) : intents.map((intent) => ({ intent, confidence: intent === 'other' ? 1 : 0 }));
    const rest = (intent: Intent) => scores.filter((s) => s.intent !== intent).slice(0, 3);
    const entities = (intent: Intent): Entities => this.entities(trimmed, intent);
    const rule = (intent: Intent, extra: Partial<Understanding> = {}): Understanding => ({
      intent,
      confidence: 1,
      alternatives: rest(intent),
      entities: entities(intent),
      language,
      source: 'rule',
      ...extra,
    });

    const safety = trimmed ? detectSafety(trimmed) : undefined;
    if (safety) return rule('safety', { safety });
    if (/^\/start(@\w+)?(\s|$)/i.test(trimmed)) return rule('greeting');
    const command = trimmed ? this.deps.commandFor?.(trimmed) : undefined;
    if (command) {
      // "my data" is a privacy command word; the model tells "show me my data" from "what do you keep".
      const intent = command === 'privacy' && scores[0]?.intent === 'privacy_export' ? 'privacy_export' : commandIntent[command];
      return rule(intent);
    }
    const asked = trimmed ? requestedLanguage(trimmed) : undefined;
    if (asked) return rule('language', { entities: { requested_language: asked } });
    // An unknown slash command (staff chat, a typo): not a question, and no guesses about it.
    if (/^\/\S/.test(trimmed)) return rule('other', { alternatives: [] });

    let top = scores[0]!;
    // "Hi, I am looking for a place to work": a greeting or thanks with a request after it is the request.
    if ((top.intent === 'greeting' || top.intent === 'thanks') && wordCount(trimmed) >= GREETING_MAX_WORDS) {
      const next = scores.find((s) => s.intent !== 'greeting' && s.intent !== 'thanks' && s.intent !== 'other');
      if (next && next.confidence >= 0.1) top = next;
    }
    // The model's safety reading is a second signal beside the lists: as the first reading from
    // SAFETY_SECOND_SIGNAL up, or behind another one from SAFETY_BEHIND up. Below that, no reading.
    const safetyScore = scores.find((s) => s.intent === 'safety')?.confidence ?? 0;
    if ((top.intent === 'safety' && safetyScore >= SAFETY_SECOND_SIGNAL) || safetyScore >= SAFETY_BEHIND) {
      return { intent: 'safety', confidence: safetyScore, alternatives: rest('safety'), entities: entities('safety'), language, source: 'model' };
    }
    if (top.intent === 'safety') top = scores.find((s) => s.intent !== 'safety')!;
    // A cue that they ask for a person ("not a machine", "call me") wins over a weak or unrelated reading.
    const cue = top.intent !== 'human' && top.intent !== 'language' && (PERSON_OVERRIDES.has(top.intent) || top.confidence < PERSON_WEAK) ? asksForPerson(trimmed) : undefined;
    // "How do I fix my bicycle? Call me on …": a callback beside an off-topic question is not the request.
    if (cue === 'person' || (cue === 'callback' && top.intent !== 'other')) {
      const human = scores.find((s) => s.intent === 'human')!;
      return { intent: 'human', confidence: Math.max(human.confidence, UNSURE), alternatives: rest('human'), entities: {}, language, source: 'rule' };
    }
    return { intent: top.intent, confidence: top.confidence, alternatives: rest(top.intent), entities: entities(top.intent), language, source: 'model' };
  }

  /** The scores of the offline model alone (the eval's comparison uses them). */
  scores(text: string): Scores {
    return this.model.classify(text);
  }

  private entities(text: string, intent: Intent): Entities {
    // Only intents that act on entities pay for the parser (a few ms a message).
    if (intent === 'language' && text) return this.languageEntities(text, {});
    if (!text || !withEntities.has(intent)) return {};
    const parser = this.deps.knowledge?.()?.matcher;
    const e = parser ? entitiesOf(text, parser) : {};
    if (intent === 'explain') {
      const topic = this.explainTopic(text);
      if (topic) e.explain_topic = topic;
    }
    return e;
  }

  /** "English please", "can you write in Dari": the language asked for, not a staff language. */
  private languageEntities(text: string, e: Entities): Entities {
    const asked = requestedLanguage(text) ?? e.staff_language ?? this.deps.knowledge?.()?.matcher.understand(text).languages[0];
    delete e.staff_language;
    if (asked) e.requested_language = asked;
    return e;
  }

  private explainTopic(text: string): Entities['explain_topic'] {
    const topics = this.deps.knowledge?.()?.content.explainer;
    if (!topics?.length) return undefined;
    if (this.explainMatcher?.topics !== topics) this.explainMatcher = { topics, matcher: new ExplainTopicMatcher(topics) };
    return this.explainMatcher.matcher.match(text);
  }

  private placeNames(): string[] {
    return this.deps.knowledge?.()?.content.gazetteer.map((g) => g.name) ?? [];
  }
}
