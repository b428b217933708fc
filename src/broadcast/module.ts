/**
 * Subscriptions and broadcasts as a module: "my subscriptions" and the linked staff members' chat
 * commands (requests, before the content's answers), the staff portal, and the delivery records a
 * stopped run left `sending`, settled before the workers start.
 */
import type { Feature } from '../core/feature.js';
import type { Module } from '../core/module.js';
import type { BroadcastEngine } from './engine.js';
import { staffPortal, type PortalPorts } from './portal.js';

/** The broadcast module: its features (built by the app), its engine and the narrow port of the staff portal. */
export function broadcastModule(deps: { features: readonly Feature[]; engine: Pick<BroadcastEngine, 'resume'>; portal: PortalPorts }): Module {
  return {
    id: 'broadcast',
    features: deps.features,
    routes: () => [staffPortal(deps.portal)],
    // Before the workers run: records a stopped run left `sending` are settled first.
    jobs: async () => {
      await deps.engine.resume();
    },
  };
}
