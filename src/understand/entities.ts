/**
 * Entities come from the knowledge's offline query parser (`src/knowledge/query.ts`: the lexicon and
 * the gazetteer in every language). This file is the one place that calls it and maps its answer to
 * the labels' vocabulary, so improvements to the parser reach the understanding step here.
 */
import { foldForModel } from './features.js';
import type { Matcher, Understanding as Query } from '../knowledge/query.js';
import type { ExplainerTopic } from '../knowledge/content.js';
import { explainTopics, serviceKeys, topicKeys, whenKeys, type Entities } from './intents.js';

/** What a message names, as far as the query parser can tell (only what the text says). */
export function entitiesOf(text: string, parser: Pick<Matcher, 'understand'>): Entities {
  return fromQuery(parser.understand(text));
}

/** Maps the parser's reading to the labels' entities. */
export function fromQuery(q: Query): Entities {
  const e: Entities = {};
  if (q.place) e.place = q.place.name;
  const services = q.services.filter((s): s is (typeof serviceKeys)[number] => (serviceKeys as readonly string[]).includes(s));
  if (services.length) e.services = services;
  if (services.includes('childcare')) e.children = true;
  if (q.price) e.price = q.price;
  const when = (q.times as string[]).find((t) => (whenKeys as readonly string[]).includes(t));
  if (when) e.when = when as (typeof whenKeys)[number];
  const topic = q.topics.find((t): t is (typeof topicKeys)[number] => (topicKeys as readonly string[]).includes(t));
  if (topic) e.topic = topic;
  if (q.languages[0]) e.staff_language = q.languages[0];
  return e;
}

/** Character trigrams of a folded text, for the explainer-topic match. */
function trigrams(text: string): Set<string> {
  const s = ` ${foldForModel(text)} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

/**
 * Which explainer topic a question about coworking is about: the topic whose title or paraphrase (in
 * any language) shares the most character trigrams with it. Undefined when nothing is close.
 */
export class ExplainTopicMatcher {
  private readonly ids: (typeof explainTopics)[number][] = [];
  private readonly sizes: number[] = [];
  /** trigram → the documents (titles and paraphrases) that have it. */
  private readonly index = new Map<string, number[]>();

  constructor(topics: readonly ExplainerTopic[]) {
    for (const t of topics) {
      if (!(explainTopics as readonly string[]).includes(t.id)) continue;
      for (const text of [...Object.values(t.title), ...Object.values(t.paraphrases).flat()]) {
        const doc = this.ids.length;
        const grams = trigrams(text);
        this.ids.push(t.id as (typeof explainTopics)[number]);
        this.sizes.push(grams.size);
        for (const g of grams) {
          const list = this.index.get(g);
          if (list) list.push(doc);
          else this.index.set(g, [doc]);
        }
      }
    }
  }

  match(text: string): (typeof explainTopics)[number] | undefined {
    const q = trigrams(text);
    if (q.size === 0) return undefined;
    const shared = new Int32Array(this.ids.length);
    for (const g of q) for (const doc of this.index.get(g) ?? []) shared[doc]!++;
    let best = -1;
    let bestScore = 0;
    for (let doc = 0; doc < shared.length; doc++) {
      const score = shared[doc]! / Math.sqrt(q.size * this.sizes[doc]!);
      if (score > bestScore) (bestScore = score), (best = doc);
    }
    return best >= 0 && bestScore >= 0.3 ? this.ids[best] : undefined;
  }
}
