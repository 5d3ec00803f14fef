/**
 * Layers of src/, checked by `npm run lint` (part of `npm test`). A folder imports only from its
 * own layer or a layer below; a runtime import cycle is an error anywhere.
 *
 *   cli                                   the shell: argument parsing, printing, exit codes
 *   server, project                       open a project once for commands and the server
 *   swarm, queue, integrations            compose the subsystems: the swarm plans a goal and runs it
 *                                         through the runner, the queue runs jobs on workers through
 *                                         it, integrations answer Claude Code's hook through the router
 *   runner, learn, router, compiler,      the subsystems; peers may import each other (the runner
 *   providers                             routes, the learner ranks through the router) but not in a cycle
 *   fleet, schema, config, diagnostics,   data shapes and leaf helpers used by every subsystem
 *   util, version
 *
 * `config` sits at the bottom: it only finds, parses and shape-checks the config file and hands each
 * subsystem its own section, so subsystems (runner, the protected-path list) may read it.
 * `swarm`, `queue` and `integrations` sit above the subsystems: each composes the runner, the
 * router or the learner, and only the CLI and the server start them.
 * Every top-level entry of src/ belongs to a layer (or is src/index.ts, the library surface):
 * scripts/check-layers.mjs fails on a folder missing here, which no rule could otherwise check.
 * Type-only imports count too: a type lives in the layer that owns the data.
 */
const LAYERS = [
  ['cli'],
  ['server', 'project'],
  ['swarm', 'queue', 'integrations'],
  ['runner', 'learn', 'router', 'compiler', 'providers'],
  ['fleet', 'schema', 'config', 'diagnostics', 'util', 'version'],
];

const folder = (name) => (name === 'version' ? '^src/version\\.ts$' : `^src/${name}/`);
const any = (names) => names.map(folder).join('|');

/** One rule per layer: nothing in it imports from a layer above it. */
const layerRules = LAYERS.slice(1).map((layer, index) => ({
  name: `layer-${layer.join('-')}`,
  comment: `${layer.join(', ')} must not import from ${LAYERS.slice(0, index + 1)
    .flat()
    .join(', ')} (layers point down)`,
  severity: 'error',
  from: { path: any(layer) },
  to: { path: any(LAYERS.slice(0, index + 1).flat()) },
}));

module.exports = {
  layers: LAYERS,
  forbidden: [
    ...layerRules,
    {
      name: 'no-runtime-cycle',
      comment: 'a runtime import cycle makes module order matter; move the shared part down',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'learn-not-runner',
      comment: 'the runner records outcomes into learn; learn owns the Outcome type and never reaches back into the runner',
      severity: 'error',
      from: { path: '^src/learn/' },
      to: { path: '^src/runner/' },
    },
    {
      name: 'commander-only-in-cli',
      comment: "command-line flags are the shell's business: subsystems take resolved options",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: 'node_modules/commander/' },
    },
    {
      name: 'library-not-through-index',
      comment: 'src/index.ts is the public surface; nothing inside src imports it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-unresolvable',
      comment: 'an import that does not resolve fails at run time',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/|node_modules/commander/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    cache: false,
  },
};
