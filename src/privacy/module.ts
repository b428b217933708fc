/** Privacy as a module: "my data", "delete me", and the erasure and retention jobs. */
import type { Module } from '../core/module.js';
import { privacyFeature, registerPrivacyJobs, type PrivacyDeps } from './feature.js';

/** `deps.features` is the bot's whole feature list (the export asks each what it stores). */
export function privacyModule(deps: PrivacyDeps): Module {
  return { id: 'privacy', features: [privacyFeature(deps)], jobs: () => registerPrivacyJobs(deps) };
}
