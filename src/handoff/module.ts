/**
 * The human handoff as a module: the safety words and "talk to a person" (first of all features), the
 * offer of a person when nobody could answer (after the answers), the facilitators' console and
 * inbox, and the alerts about unclaimed conversations.
 */
import type { Module } from '../core/module.js';
import { handoffConsole, type ConsolePorts } from './console.js';
import type { Handoff } from './handoff.js';

/** The handoff module over a built {@link Handoff}; `console` is the narrow port its pages take. */
export function handoffModule(handoff: Handoff, console: ConsolePorts): Module {
  return {
    id: 'handoff',
    features: [handoff.feature, handoff.fallback],
    routes: () => [handoffConsole(console)],
    start: () => handoff.alerts?.start(),
    stop: () => handoff.alerts?.stop(),
  };
}
