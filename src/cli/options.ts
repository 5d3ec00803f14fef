/**
 * Flags every command shares, and turning them plus the config file into compiler options.
 */
import type { Command } from 'commander';
import { resolveCompilerOptions, type CompilerOptions } from '../compiler/options.js';
import { loadConfig, type LoadedConfig } from '../config/config.js';
import type { CommandIO } from './io.js';

export interface CommonFlags {
  json?: boolean;
  verbose?: boolean;
  config?: string;
}

export function withCommonFlags(command: Command): Command {
  return command
    .option('--json', 'print machine-readable JSON on stdout')
    .option('-v, --verbose', 'also print notes (info diagnostics)')
    .option('--config <file>', 'config file (default: codex-flow.config.yaml if present)');
}

export async function compilerContext(
  io: CommandIO,
  flags: CommonFlags & { src?: string; out?: string },
): Promise<{ loaded: LoadedConfig; options: CompilerOptions }> {
  const loaded = await loadConfig(io.cwd, flags.config);
  const pathFlags: { src?: string; out?: string } = {};
  if (flags.src) pathFlags.src = flags.src;
  if (flags.out) pathFlags.out = flags.out;
  return { loaded, options: resolveCompilerOptions(io.cwd, loaded.config.compiler, pathFlags, io.env) };
}
