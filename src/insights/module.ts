/** Insights as a module: the coordinators' dashboard (no conversation feature). */
import type { Module } from '../core/module.js';
import type { AuthPorts } from '../web/auth.js';
import { coordinatorGuard } from './guard.js';
import { insightsMounter, type InsightsPorts } from './mount.js';

/** The insights module: the dashboard's narrow port, and the staff login it is guarded by. */
export function insightsModule(ports: InsightsPorts, auth: AuthPorts): Module {
  return { id: 'insights', routes: () => [insightsMounter(ports, coordinatorGuard(auth))] };
}
