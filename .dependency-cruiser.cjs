/**
 * The import rules `npm test` enforces (test/architecture.test.ts; by hand: `npx depcruise src`).
 * Layers, lowest first: contracts (cache-dirs, clock, config, logger, timing, version, core/types,
 * understand/intents, web/routes) → storage →
 * platform (core, queue, i18n, llm, channels, metrics) → features (understand, flows, knowledge,
 * handoff, broadcast, insights, privacy) → web → modules (each capability's `module.ts`: its
 * features and its pages as one `Module`) → assembly (app, assembly, cli).
 * No circle anywhere; imports running back up a layer are counted, and the count may only go down.
 */
// Disjoint patterns: each module belongs to exactly one layer. A feature's HTTP pages (consoles,
// inbox, portal, dashboard) and their view modules (`*-views.ts`) belong to the web layer wherever they live.
const PAGES = '(handoff/(console|inbox)(-views)?|broadcast/(portal[^/]*|poster(-views)?|link(-views)?)|insights/(dashboard(-views)?|guard|mount)|knowledge/translations-(page|views)|metrics/route)\\.ts$';
const CONTRACTS = '(cache-dirs|clock|config|logger|timing|version|core/types|understand/intents|web/routes)\\.ts$';
// A capability's module (src/core/module.ts) joins its features and its pages, so it sits above both.
const MODULES = '(understand|flows|knowledge|handoff|broadcast|insights|privacy|metrics)/module\\.ts$';
const layers = [
  ['contracts', `^src/${CONTRACTS}`],
  ['storage', '^src/storage/'],
  ['platform', `^src/(?!${CONTRACTS}|${PAGES}|${MODULES})(core|queue|i18n|llm|channels|metrics)/`],
  ['features', `^src/(?!${CONTRACTS}|${PAGES}|${MODULES})(understand|flows|knowledge|handoff|broadcast|insights|privacy)/`],
  ['web', `^src/(?!${CONTRACTS})web/|^src/${PAGES}`],
  ['modules', `^src/${MODULES}`],
  ['assembly', '^src/(app|assembly)\\.ts$|^src/cli/'],
];

/** One rule per layer: it may not import any layer above it. */
const upward = layers.slice(0, -1).map(([name, path], i) => ({
  name: `up-from-${name}`,
  comment: `${name} imports a higher layer (${layers.slice(i + 1).map(([n]) => n).join(', ')})`,
  severity: 'warn',
  from: { path },
  to: { path: layers.slice(i + 1).map(([, p]) => p).join('|'), pathNot: layers.slice(0, i + 1).map(([, p]) => p).join('|') },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'modules that import each other (directly or around a circle)', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
