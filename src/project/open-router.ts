/**
 * Opens a project's router: config → fleet → (learning) → router, for `route`, `eval` and the
 * server. A fleet with a routing image (src/fleet/routing-image.ts) is opened through it:
 * index.json and triggers.json are not parsed and nothing is built. Otherwise (a fleet compiled by
 * an older codex-flow) the router is built from the JSON files, its products cached in
 * LEXICAL_CACHE_DIR. Modules load on demand: `route` is the command people run most, and it reads
 * only the code it needs. A bad `router:` section in the file is the config loader's diagnostic (exit 1).
 *
 * @example
 * const opened = await openRouter({ root, env });
 * if (opened.router) opened.router.route({ task: 'add a resolver', files: [] });
 */
import { join } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CodexFlowConfig, LoadedConfig } from '../config/config.js';
import type { FleetTexts, LoadedFleet } from '../fleet/load.js';
import type { TriggerTable } from '../fleet/types.js';
import type { RouterConfig } from '../router/options.js';
import type { SemanticModelFactory } from '../router/stages/semantic/semantic-stage.js';
import type { PrebuiltRouting, Router } from '../router/staged-router.js';
import type { LearnedModel } from '../router/types.js';
import { BRIEF_HASHES_FILE, LEXICAL_CACHE_DIR, projectFleetDir } from './fleet-dir.js';
import type { RouteEmbeddings } from './route-embeddings.js';

/** A router over the opened fleet with a learned model (δ = `rewardWeight` unless router.weights.reward is set). */
export type RouterBuilder = (learned?: LearnedModel, rewardWeight?: number) => Router;

/** What learning reads of a fleet: per agent its brief hash and prior (from the routing image when there is one). */
export interface LearningFleet {
  triggers: Pick<TriggerTable, 'agents'>;
  index: { agents: ReadonlyArray<{ id: string; hash: string }> };
}

export interface OpenRouterRequest {
  root: string;
  configFile?: string;
  fleetDir?: string;
  semantic?: string;
  staleCheck?: boolean;
  /**
   * Awaited between the open's phases (fleet, learning, router): a server that opens a fleet
   * while it answers requests passes one that yields to its event loop, so requests wait for one
   * phase at most instead of the whole open.
   */
  pause?: () => Promise<void>;
  /**
   * index.json and triggers.json as the compile thread read and checked them after publishing:
   * the fleet opens on these texts (parsed only if read) instead of reading the folder again.
   */
  fleetTexts?: FleetTexts;
  /** `route --embeddings on|off`: off routes on words alone although router.embeddings is set. */
  embeddings?: 'on' | 'off';
  /** The environment embedding providers read their keys and URLs from. */
  env?: Record<string, string | undefined>;
  /** Said once before the lexical model is built from every definition (seconds on a large fleet without a routing image). */
  buildNote?: (message: string) => void;
  /** Opens learning for the fleet and hands back the learned model and its weight. */
  learn?: (fleet: LearningFleet, config: Record<string, unknown> | undefined) => { model?: LearnedModel; rewardWeight: number };
}

export interface OpenedRouter {
  router?: Router;
  build?: RouterBuilder;
  fleet?: LoadedFleet;
  /** The fleet's hash: the routing image's, else index.json's. */
  hash?: string;
  config?: CodexFlowConfig;
  /** Where a config key sits (`file:line:col`), for the checks of sections opened later (router.rerank). */
  locateConfig?: LoadedConfig['locate'];
  learningConfig?: Record<string, unknown>;
  /** Set when router.embeddings is configured and on. */
  embeddings?: RouteEmbeddings;
  fleetDir: string;
  fleetShown: string;
  diagnostics: Diagnostic[];
}

export async function openRouter(request: OpenRouterRequest): Promise<OpenedRouter> {
  const { root } = request;
  const { loadConfig } = await import('../config/config.js');
  const loaded = await loadConfig(root, request.configFile);
  const diagnostics = [...loaded.diagnostics];
  const { fleetDir, fleetShown } = projectFleetDir(root, loaded.config, request.fleetDir);
  const { loadFleetWithImage } = await import('../fleet/load-image.js');
  const withImage = loadFleetWithImage(fleetDir, request.fleetTexts);
  const image = withImage?.image;
  let fleet = withImage?.fleet;
  if (!fleet) {
    const { loadFleet } = await import('../fleet/load.js');
    const opened = loadFleet(fleetDir, request.fleetTexts);
    diagnostics.push(...opened.diagnostics);
    fleet = opened.fleet;
  }
  if (!fleet || hasErrors(diagnostics)) return { fleetDir, fleetShown, diagnostics };
  await request.pause?.();
  // What the stale check, the lexical cache and learning read, without parsing the JSON files
  // when the image has it.
  const routing: LearningFleet & { hash: string; agents: ReadonlyArray<{ source: string; hash: string }> } = image
    ? { hash: image.head.hash, agents: image.head.entries, triggers: image.head.table, index: { agents: image.head.entries } }
    : { hash: fleet.index.hash, agents: fleet.index.agents, triggers: fleet.triggers, index: fleet.index };
  if (request.staleCheck !== false) {
    const { checkFreshness } = await import('../fleet/freshness.js');
    diagnostics.push(...checkFreshness(routing, root, join(root, LEXICAL_CACHE_DIR, BRIEF_HASHES_FILE)));
  }
  const { createRouter } = await import('../router/staged-router.js');
  const config = { ...(loaded.config.router ?? {}) } as RouterConfig;
  if (request.semantic !== undefined) config.semantic = request.semantic as RouterConfig['semantic'];
  const { cachedLexicalModelFactory } = await import('../router/lexical-cache.js');
  const { fileBuildCache } = await import('../router/build-cache.js');
  const cached = withBuildNote(
    request.buildNote,
    cachedLexicalModelFactory(join(root, LEXICAL_CACHE_DIR), routing.hash),
    routing.agents.length,
  );
  let semanticModel = cached;
  let prebuilt: PrebuiltRouting | undefined;
  if (image) {
    const { imageLexicalModelFactory, prebuiltRouting } = await import('../router/routing-image.js');
    semanticModel = imageLexicalModelFactory(image, cached);
    prebuilt = prebuiltRouting(image);
  }
  const embeddingsSection = (
    loaded.config.router as { embeddings?: import('../providers/embeddings/config.js').EmbeddingsConfig } | undefined
  )?.embeddings;
  let embeddings: RouteEmbeddings | undefined;
  let agentIds: readonly string[] = [];
  if (embeddingsSection && (embeddingsSection.enabled !== false ? request.embeddings !== 'off' : request.embeddings === 'on')) {
    const { openRouteEmbeddings } = await import('./route-embeddings.js');
    const hashes = new Map(routing.index.agents.map((agent) => [agent.id, agent.hash]));
    embeddings = await openRouteEmbeddings(embeddingsSection, { root, env: request.env ?? {} }, semanticModel, {
      ids: () => agentIds,
      hash: (id) => hashes.get(id),
    });
    if (embeddings.factory) semanticModel = embeddings.factory;
  }
  delete (config as { embeddings?: unknown }).embeddings;
  const buildCache = fileBuildCache(join(root, LEXICAL_CACHE_DIR));
  const opened = fleet;
  const build: RouterBuilder = (learned, rewardWeight) =>
    createRouter(opened, {
      options:
        learned && rewardWeight !== undefined && config.weights?.reward === undefined
          ? { ...config, weights: { ...config.weights, reward: rewardWeight } }
          : config,
      semanticModel,
      buildCache,
      ...(prebuilt ? { prebuilt } : {}),
      ...(learned ? { learned } : {}),
    });
  await request.pause?.();
  const learning = request.learn?.(routing, loaded.config.learning);
  if (request.pause && !request.fleetTexts) {
    // A server reads the whole index anyway (served-fleet.ts); read in a phase of its own, it
    // does not add to the router build's. Texts a compile thread checked are held instead and
    // parsed only if read.
    void fleet.index;
    await request.pause();
  }
  const router = build(learning?.model, learning?.rewardWeight);
  agentIds = router.agents;
  diagnostics.push(...router.diagnostics);
  return {
    router,
    build,
    fleet,
    hash: routing.hash,
    config: loaded.config,
    ...(loaded.locate ? { locateConfig: loaded.locate } : {}),
    fleetDir,
    fleetShown,
    diagnostics,
    ...(loaded.config.learning ? { learningConfig: loaded.config.learning } : {}),
    ...(embeddings ? { embeddings } : {}),
  };
}

/** The lexical model factory, saying (once, when asked) that it is about to build the model from every definition. */
function withBuildNote(note: ((message: string) => void) | undefined, factory: SemanticModelFactory, agents: number): SemanticModelFactory {
  if (!note) return factory;
  return (documents) =>
    factory(() => {
      note(
        `codex-flow: reading ${agents} definition(s) to build the lexical model (once per compile; \`codex-flow convert\` writes it ahead into the fleet)…\n`,
      );
      return documents();
    });
}
