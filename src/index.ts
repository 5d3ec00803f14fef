/**
 * codex-flow's library surface: what a program needs to compile a fleet, load it, route tasks,
 * learn from outcomes, run agents on providers and run a swarm. Named exports only; everything
 * not listed here is internal and may change in any release. The CLI is a thin shell over these
 * functions (`main` runs any command in-process, which is how the tests call it).
 *
 * @example
 * import { convertFleet, resolveCompilerOptions, loadFleet, createRouter } from 'codex-flow';
 * const result = await convertFleet(resolveCompilerOptions(process.cwd()));
 * const { fleet } = loadFleet('codex/agents');
 * const top = createRouter(fleet!).route({ task: 'add a GraphQL resolver' }).candidates[0];
 */

/** The package version, as `codex-flow --version` prints it. */
export { VERSION } from './version.js';

// Diagnostics: every problem is a value with a stable code and a position; only these boundaries throw.
export { hasErrors, type Diagnostic, type Severity, type SourceLocation } from './diagnostics/diagnostic.js';
export { CODES, type DiagnosticCode } from './diagnostics/codes.js';
export { formatDiagnostic, formatGitHub } from './diagnostics/format.js';

// Config: `codex-flow.config.yaml`, one section per subsystem.
export { loadConfig, type CodexFlowConfig, type CompilerConfig, type LoadedConfig } from './config/config.js';

// Compile: briefs (.claude/agents/**/*.md) → a validated, deterministic fleet (codex/agents/), published atomically.
export { convertFleet, type ConvertOptions, type ConvertResult } from './compiler/convert.js';
export { resolveCompilerOptions, type CompilerOptions } from './compiler/options.js';
export { validateFleet, type FleetValidation } from './compiler/validate-fleet.js';
export type { AgentDefinition } from './schema/definition.js';

// Load a fleet: the compiled files, read without trusting them.
export { loadFleet, type LoadedFleet } from './fleet/load.js';
export { checkFreshness } from './fleet/freshness.js';
export type { FleetIndex, IndexEntry, TriggerTable } from './fleet/types.js';

// Route: a task and changed files → ranked agents with the evidence for each.
export { createRouter, type Router, type RouterFleet, type RouterInit } from './router/staged-router.js';
export { resolveRouterOptions, type RouterConfig, type RouterOptions } from './router/options.js';
export type { RouteRequest, RouteResult, RouteCandidate, Evidence, ScoreTerm } from './router/types.js';
export type { AgentExplanation } from './router/explain.js';
export { formatRoute, formatExplanation } from './router/format.js';
export { parseLabels, evaluate, type EvalReport, type Label } from './router/eval.js';

// Learn: outcomes of routed tasks move the ranking (a bandit over the router's scores).
export { MemoryOutcomeSink, type Outcome, type OutcomeSink } from './learn/outcome.js';
export { openLearning, routeLearned, type OpenedLearning, type LearnedRoute } from './learn/open.js';
export { Learning } from './learn/learner.js';
export { recordOutcome, LearningOutcomeSink } from './learn/record.js';
export { resolveLearningOptions, type LearningOptions, type LearningMode } from './learn/options.js';
export { scorecards, type Scorecard } from './learn/scorecard.js';

// Providers: one small interface over OpenAI, Anthropic, Ollama, compatible, CLI and HTTP models, with failover.
export { createProviderChain, ProviderChain, type ChainSpec, type ChainOptions, type ChainResult } from './providers/chain.js';
export {
  PROVIDER_INTERFACE_VERSION,
  type Provider,
  type ProviderRequest,
  type ProviderResult,
  type StreamEvent,
  type Message,
  type ToolSpec,
  type ToolCall,
  type Usage,
} from './providers/provider.js';
export { ProviderError, ProviderChainError, UnknownProviderError } from './providers/errors.js';
export { resolveProviderOptions, type ProvidersConfig, type ResolvedProviderOptions } from './providers/options.js';
export { createProvider } from './providers/registry.js';
export { Budget } from './providers/budget.js';
export {
  HTTP_PROTOCOL_VERSION,
  HTTP_GENERATE_PATH,
  type HttpGenerateRequest,
  type HttpGenerateResponse,
  type HttpStreamEvent,
} from './providers/http-protocol.js';

// Run: tasks executed by agents in a sandboxed workspace, through the provider chain.
export { runTasks, runTask, Runner, type TaskSpec, type RunnerInit, type RunResult } from './runner/runner.js';
export { resolveRunnerOptions, type RunnerConfig, type RunnerOptions } from './runner/options.js';
export { openRunContext } from './project/open-run.js';
export type { TaskResult } from './runner/execute-task.js';

// Swarm: a goal planned into routed subtasks, run in dependency order, resumable.
export { runSwarm, continueSwarm, type SwarmRunInput, type SwarmResult } from './swarm/swarm.js';
export { buildPlan, type PlanInput, type BuiltPlan } from './swarm/planner.js';
export { openSwarmContext, type SwarmContext } from './project/open-swarm.js';
export type { SwarmPlan, RoutedPlan, Subtask } from './swarm/plan.js';

// Serve: a project opened once and kept hot (hot reload as a library call), and the HTTP server over it.
export { openServedFleet, type ServedFleet, type ServedFleetRequest, type ServedRouteOptions } from './project/served-fleet.js';
export { watchServedFleet, type FleetHolder, type ServedFleetEvent } from './project/watch-served-fleet.js';
export { startServer, type ServeOptions, type RunningServer } from './server/serve.js';

// The CLI in-process: every command is a function call with its own IO.
export { main } from './cli/main.js';
export { memoryIO, type CommandIO } from './cli/io.js';

// Integrations: Claude Code's UserPromptSubmit hook (its reply, for a server of your own; the settings merge) and the pull-request comment.
export { userPromptHookReply, type HookReply } from './integrations/user-prompt-hook.js';
export { withUserPromptHook } from './integrations/claude-settings.js';
export { formatRouteMarkdown } from './router/format-markdown.js';

// Smartness loop: an outcome's reward (success, latency, cost, review) and the types of tiers and learned rules.
export type { Workload } from './fleet/workload.js';
export type { TierChains } from './providers/tiers.js';
export { rewardOf, type RewardOptions, type ReviewVerdict } from './learn/reward.js';
export type { Rule, Hint } from './learn/rules.js';
