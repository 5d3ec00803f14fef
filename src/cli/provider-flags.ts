/**
 * `--provider` and `--fallback`, the same on every command that calls a model (`run`, `swarm`,
 * `bench --providers` aside). A command adds the flags with `withProviderFlags` and turns the
 * parsed values into the chain spec with `chainSpecFromFlags`.
 *
 * @example
 * withProviderFlags(program.command('run')).action(async (flags) => {
 *   const chain = createProviderChain(chainSpecFromFlags(flags), io.env, { cwd: io.cwd });
 * });
 */
import type { Command } from 'commander';
import type { ChainSpec } from '../providers/chain.js';
import { splitList } from '../providers/options.js';

export interface ProviderFlags {
  provider?: string;
  fallback?: string;
}

export function withProviderFlags(command: Command): Command {
  return command
    .option(
      '--provider <name>',
      'provider to call first: openai, anthropic, ollama, compatible, cli, http (default: CODEX_FLOW_PROVIDER, else the first with credentials)',
    )
    .option('--fallback <names>', 'comma-separated providers to fail over to, in order (default: CODEX_FLOW_FALLBACK)');
}

export function chainSpecFromFlags(flags: ProviderFlags): ChainSpec {
  const spec: ChainSpec = {};
  if (flags.provider) spec.provider = flags.provider.trim();
  if (flags.fallback !== undefined) spec.fallback = splitList(flags.fallback);
  return spec;
}
