/**
 * What a swarm needs from a project, opened once through the runner's `openRunContext` (config,
 * fleet, the learned router `codex-flow route` uses, provider chain with the swarm's budget,
 * memory, learning): the plan is routed by the same router that `run` uses, and the subtasks run
 * through the same runner. Planning only (`--dry-run`, `--plan-only`) routes without recording
 * decisions and opens no memory store (no agent runs). Every swarm routes with exploration off:
 * its whole plan is routed before anything runs, and `--dry-run`, `--plan-only` and a run of the
 * same goal must give the same plan. A provider or learning setting the user got wrong is a `UsageError`-shaped value.
 *
 * @example
 * const opened = await openSwarmContext({ root, env, chain: {}, planning: true, budgetUsd: null });
 * if (opened.context) await buildPlan({ goal }, { maxSubtasks: 50, route: opened.context.route });
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ChainSpec, ProviderChain, ProviderLogEvent } from '../providers/chain.js';
import { AliasResolver } from '../runner/aliases.js';
import { openRunContext } from './open-run.js';
import type { RunnerInit } from '../runner/runner.js';
import type { RouteContext } from '../swarm/route-plan.js';
import { followUpRules, type FollowUpRule } from '../fleet/follow-ups.js';
import { delegationPriors, type DelegationPriors } from '../learn/delegation.js';
import { handoffRecorder, readHandoffs, HANDOFFS_FILE, type HandoffRecorder, type HandoffTally } from '../learn/handoffs.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { withDelegation } from '../swarm/follow-ups.js';
import type { SwarmOptions } from '../swarm/options.js';
import type { SwarmRunInput } from '../swarm/swarm.js';

export interface SwarmOpenRequest {
  root: string;
  env: Record<string, string | undefined>;
  chain: ChainSpec;
  /** Planning only: decisions are not recorded, no provider is needed. */
  planning: boolean;
  budgetUsd: number | null;
  configFile?: string;
  fleetDir?: string;
  providerLog?: (event: ProviderLogEvent) => void;
}

export interface SwarmContext {
  init: Omit<RunnerInit, 'write'>;
  chain: ProviderChain;
  route: Omit<RouteContext, 'locate'>;
  /** The fleet's agents with their one-line descriptions (the llm decomposer's menu); reads every definition, so only when asked. */
  agents(): Array<{ id: string; description: string }>;
  /** The fleet's follow-up rules ("use proactively after …"); reads every definition, so only when asked. */
  followUps(): FollowUpRule[];
  /** Records each subtask's hand-offs with how its work went; absent when learning keeps no folder. */
  handoffs?: HandoffRecorder;
  close(): Promise<void>;
}

/** Thrown for a provider name or learning section the user must fix; the CLI reports it as a usage error. */
export class SwarmSetupError extends Error {
  override readonly name = 'SwarmSetupError';
}

export async function openSwarmContext(request: SwarmOpenRequest): Promise<{ context?: SwarmContext; diagnostics: Diagnostic[] }> {
  const { UnknownProviderError } = await import('../providers/errors.js');
  const { LearningConfigError } = await import('../learn/options.js');
  let opened;
  try {
    opened = await openRunContext({
      root: request.root,
      env: request.env,
      needsRouter: true,
      learning: { explore: false },
      dryRun: request.planning,
      skipMemory: request.planning,
      chain: request.chain,
      budgetUsd: request.budgetUsd,
      ...(request.configFile ? { configFile: request.configFile } : {}),
      ...(request.fleetDir ? { fleetDir: request.fleetDir } : {}),
      ...(request.providerLog ? { providerLog: request.providerLog } : {}),
    });
  } catch (error) {
    if (error instanceof UnknownProviderError) throw new SwarmSetupError(`${error.message}; ${error.hint}`);
    if (error instanceof LearningConfigError) throw new SwarmSetupError(error.message);
    throw error;
  }
  const { init, chain, diagnostics } = opened;
  if (!init || !chain) return { diagnostics };
  const resolver = new AliasResolver(init.fleet, init.options);
  const agents = () => init.fleet.ids.map((id) => ({ id, description: init.fleet.definition(id)?.agent.description ?? '' }));
  const definitions = () =>
    init.fleet.ids.flatMap((id) => {
      const definition = init.fleet.definition(id);
      return definition ? [definition] : [];
    });
  // The briefs' prefers / complements, reinforced by the recorded hand-offs, break near-ties between
  // a subtask's candidates (swarm/route-plan.ts) and order its follow-ups (swarm/follow-ups.ts).
  // Built on first use: reading every definition is only worth it when a plan asks.
  const handoffs = readRecordedHandoffs(init.learningDir, diagnostics);
  let priors: DelegationPriors | undefined;
  const delegation = {
    prior: (from: string, to: string) => (priors ??= delegationPriors(definitions(), handoffs)).prior(from, to),
  };
  const route: SwarmContext['route'] = {
    knows: (name) => resolver.resolve(name).ok,
    names: resolver.names(),
    delegation,
    ...(init.router ? { router: init.router } : {}),
  };
  const followUps = () => withDelegation(followUpRules(definitions()), delegation);
  return {
    context: {
      init,
      chain,
      route,
      agents,
      followUps,
      ...(init.learningDir && opened.learning
        ? { handoffs: handoffRecorder(init.learningDir, opened.learning.state, opened.learning.workloadOf) }
        : {}),
      close: async () => {
        await init.memory?.close();
      },
    },
    diagnostics,
  };
}

/**
 * The input every swarm of an opened project runs with, the CLI's and the server's alike: the
 * runner's init writing to `write`, the hand-off recorder (so each ended subtask's hand-offs
 * reinforce the delegation priors) and, unless turned off, the fleet's follow-up rules. A caller
 * adds only what is its own (its events, its reviser, its signal), so no caller can forget the learning.
 *
 * @example const input = swarmRunInput(context, options, { write: { stdout, stderr } });
 */
export function swarmRunInput(
  context: SwarmContext,
  options: SwarmOptions,
  how: { write: RunnerInit['write']; followUps?: boolean; strictTools?: boolean; redactor?: RunnerInit['redactor'] },
): SwarmRunInput {
  return {
    init: { ...context.init, write: how.write, ...(how.redactor ? { redactor: how.redactor } : {}) },
    options,
    strictTools: how.strictTools ?? false,
    ...(how.followUps === false ? {} : { followUps: context.followUps() }),
    ...(context.handoffs ? { handoffs: context.handoffs } : {}),
  };
}

/** The hand-offs recorded so far; an unreadable file is a CF6721 warning and planning uses the briefs alone. */
function readRecordedHandoffs(learningDir: string | undefined, diagnostics: Diagnostic[]): Record<string, HandoffTally> {
  if (!learningDir) return {};
  const read = readHandoffs(learningDir);
  if (read.problem) diagnostics.push(diagnostic('CF6721', `${HANDOFFS_FILE}: ${read.problem}; planning without the recorded hand-offs`));
  return read.data.pairs;
}
