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
