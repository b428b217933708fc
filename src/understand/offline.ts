/**
 * The understanding step on the content in `data/` without a database or a running bot: for the eval
 * (`npm run eval`) and tests. The bot itself builds its {@link Understander} on the live knowledge base.
 */
import { join } from 'node:path';
import { Router } from '../core/router.js';
import { Translator } from '../i18n/i18n.js';
import { dataDir, loadContent } from '../knowledge/content.js';
import { Matcher } from '../knowledge/query.js';
import { Understander, type UnderstanderDeps } from './understand.js';

/**
 * An understander as the bot builds it (the router's command words, the demo content's lexicon,
 * gazetteer and explainer), without a database. `deps` adds or swaps parts (another intent model,
 * a model server).
 */
export async function offlineUnderstander(deps: Partial<UnderstanderDeps> = {}): Promise<Understander> {
  const content = loadContent(join(dataDir, 'demo'), { now: new Date(), timezone: 'Europe/Rome' });
  const knowledge = { matcher: new Matcher(content), content };
  const router = new Router([], await Translator.create());
  return new Understander({ knowledge: () => knowledge, commandFor: (text) => router.commandFor(text), ...deps });
}
