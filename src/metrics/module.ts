/** Monitoring as a module: the Prometheus figures at `/metrics`. */
import type { Module } from '../core/module.js';
import { metricsRoute, type MetricsRoutePorts } from './route.js';

export function metricsModule(ports: MetricsRoutePorts): Module {
  return { id: 'metrics', routes: () => [metricsRoute(ports)] };
}
