/**
 * codex-flow's library surface. Named exports only; the CLI is a thin shell over these.
 */
export { VERSION } from './version.js';
export * from './diagnostics/diagnostic.js';
export { CODES, type DiagnosticCode } from './diagnostics/codes.js';
export * from './schema/definition.js';
export * from './fleet/types.js';
export { convertFleet, generatedAtFor, type ConvertOptions, type ConvertResult } from './compiler/convert.js';
export { compileSources, CompileCache, type CompileResult, type CompileStats } from './compiler/compile.js';
export { resolveCompilerOptions, type CompilerConfig, type CompilerOptions } from './compiler/options.js';
export { readBriefs, listBriefs, type BriefSource } from './compiler/sources.js';
export { publishFleet, recoverInterruptedPublish, diffTrees, type FleetDiff } from './compiler/publish.js';
export { validateFleet, type FleetValidation } from './compiler/validate-fleet.js';
export { loadConfig, type CodexFlowConfig } from './config/config.js';
export { formatDiagnostic, formatGitHub } from './diagnostics/format.js';
export { main } from './cli/main.js';
export { memoryIO, type CommandIO } from './cli/io.js';
export { createRouter, routeId, normalizePath, type Router, type RouterFleet, type RouterInit, type RewardModel, type PenaltyModel } from './router/staged-router.js';
export { resolveRouterOptions, RouterConfigError, DEFAULT_WEIGHTS, type RouterOptions, type RouterConfig, type RouterWeights, type SemanticMode } from './router/options.js';
export { checkRegexPattern, REGEX_FLAGS } from './router/regex-check.js';
export type { RouteRequest, RouteResult, RouteCandidate, Evidence, ScoreTerm, RouteEvent, StageName } from './router/types.js';
export type { AgentExplanation } from './router/explain.js';
export { parseLabels, evaluate, type EvalReport, type Label } from './router/eval.js';
export { formatRoute, formatExplanation, formatEval } from './router/format.js';
export { cachedLexicalModelFactory } from './router/lexical-cache.js';
export type { SemanticModel, SemanticModelFactory } from './router/semantic-stage.js';
export { loadFleet, type LoadedFleet } from './fleet/load.js';
export { checkFreshness } from './fleet/freshness.js';
