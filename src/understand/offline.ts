/**
 * The understanding step on the content in `data/` without a database or a running bot: for the eval
 * (`npm run eval`) and tests. The bot itself builds its {@link Understander} on the live knowledge base.
 */
import { join } from 'node:path';
import { Router } from '../core/router.js';
import { Translator } from '../i18n/i18n.js';
import { dataDir, loadContent } from '../knowledge/content.js';
import { Matcher } from '../knowledge/query.js';
import type { IntentClassifier } from './model.js';
import { Understander } from './understand.js';

/**
 * An understander as the bot builds it (the router's command words, the demo content's lexicon,
 * gazetteer and explainer), without a database or a model server. `model` swaps the intent model.
 */
export async function offlineUnderstander(opts: { now?: Date; model?: IntentClassifier } = {}): Promise<Understander> {
  const content = loadContent(join(dataDir, 'demo'), { now: opts.now ?? new Date(), timezone: 'Europe/Rome' });
  const knowledge = { matcher: new Matcher(content), content };
  const router = new Router([], await Translator.create());
  return new Understander({ knowledge: () => knowledge, commandFor: (text) => router.commandFor(text), model: opts.model });
}
