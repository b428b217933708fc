/**
 * Knowledge as a module: the answers from the content (spaces, events, explainer; its three main
 * menu entries), the translations review page, and the timers that keep the content current (staff
 * edits made by another process, CONTENT_DIR re-read).
 */
import type { Clock } from '../clock.js';
import type { Module } from '../core/module.js';
import { errorMessage, type Logger } from '../logger.js';
import type { TranslationStore } from '../storage/translation-store.js';
import type { KnowledgeFeature } from './feature.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { seedTranslations } from './translation-seeds.js';
import { translationsPage, type TranslationsPagePorts } from './translations-page.js';

export interface KnowledgeModuleDeps {
  feature: KnowledgeFeature;
  knowledge: KnowledgeBase;
  translationStore: TranslationStore;
  /** The narrow port of the translations review page. */
  translationsPage: TranslationsPagePorts;
  /** CONTENT_DIR. */
  contentDir: string;
  /** How often (ms) CONTENT_DIR is re-read (0: never). */
  contentRefreshMs: number;
  clock: Clock;
  log: Logger;
}

export function knowledgeModule(deps: KnowledgeModuleDeps): Module {
  const { knowledge, clock, log } = deps;
  let staffWatch: NodeJS.Timeout | undefined;
  let refresher: NodeJS.Timeout | undefined;
  return {
    id: 'knowledge',
    features: [deps.feature],
    routes: () => [translationsPage(deps.translationsPage)],
    start() {
      // Staff edits made in another process (the portal may run elsewhere): picked up within 15 s.
      staffWatch = setInterval(() => {
        knowledge.refreshIfStale().catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'knowledge: could not check staff edits'));
      }, 15_000);
      staffWatch.unref();
      if (deps.contentRefreshMs > 0) {
        refresher = setInterval(() => {
          knowledge
            .importDir(deps.contentDir, clock.now())
            .then(async (r) => {
              if (r.unchanged) return;
              log.info({ spaces: r.spaces, events: r.events }, 'knowledge: content refreshed');
              await seedTranslations(deps.contentDir, knowledge.content, deps.translationStore, clock.now(), log);
            })
            .catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'knowledge: content not refreshed; keeping the current content'));
        }, deps.contentRefreshMs);
        refresher.unref();
      }
    },
    stop() {
      if (staffWatch) clearInterval(staffWatch);
      if (refresher) clearInterval(refresher);
    },
  };
}
