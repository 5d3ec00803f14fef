/**
 * `codex-flow providers [--json]`: every provider codex-flow knows, whether it is configured
 * (and if not, the one variable to set), its model and endpoint, and its live health from
 * `.codex-flow/providers-state.json`: healthy, rate-limited until T, circuit open and cooling
 * down until T, half-open, low quota. Never prints a key.
 *
 * Exit 0, or 1 when the configured chain names a provider that does not exist (every model call
 * would fail); settings it had to ignore are warnings.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';

export interface ProvidersDeps {
  now?: () => number;
}

export interface ProviderRow {
  id: string;
  kind: string;
  model: string;
  configured: boolean;
  missing?: string;
  endpoint?: string;
  pricePer1k?: { input: number; output: number; cached: number };
  status: string;
  detail: string;
  until?: string;
  failureRate?: number;
  lastError?: { kind: string; message: string; at: string };
}

export async function runProviders(io: CommandIO, flags: CommonFlags, deps: ProvidersDeps = {}): Promise<number> {
  const [{ loadConfig }, { resolveProviderOptions }, { resolveChainIds }, { readStateFile }, { describeHealth, freshHealth }, { Redactor }, { diagnostic, hasErrors }] = await Promise.all([
    import('../../config/config.js'),
    import('../../providers/options.js'),
    import('../../providers/chain.js'),
    import('../../providers/state-store.js'),
    import('../../providers/breaker.js'),
    import('../../providers/redact.js'),
    import('../../diagnostics/diagnostic.js'),
  ]);
  const loaded = await loadConfig(io.cwd, flags.config);
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'providers', loaded.diagnostics, flags);
  const options = resolveProviderOptions(io.env, loaded.config.providers as never);
  const redactor = new Redactor(options.secrets);
  const stateFile = resolve(io.cwd, options.stateFile);
  const state = readStateFile(stateFile);
  const now = (deps.now ?? Date.now)();

  const rows: ProviderRow[] = Object.values(options.providers).map((settings) => {
    const health = describeHealth(state.providers[settings.id] ?? freshHealth(), now, options.breaker.windowMs);
    const row: ProviderRow = {
      id: settings.id,
      kind: settings.kind,
      model: settings.model,
      configured: settings.configured,
      status: settings.configured ? health.status : 'not-configured',
      detail: settings.configured ? health.detail : `not configured: ${settings.missing}`,
    };
    if (settings.missing) row.missing = settings.missing;
    const endpoint = settings.kind === 'cli' ? settings.command?.split(/\s+/, 1)[0] : settings.baseURL && displayUrl(settings.baseURL);
    if (endpoint) row.endpoint = endpoint;
    if (settings.price) row.pricePer1k = settings.price;
    if (health.until) row.until = health.until;
    if (health.failureRate !== undefined) row.failureRate = health.failureRate;
    if (health.lastError) row.lastError = { ...health.lastError, at: new Date(health.lastError.at).toISOString() };
    return redactor.value(row);
  });
  const chainIds = resolveChainIds({}, options);
  const chain = { ids: chainIds, configured: options.provider !== undefined };
  const diagnostics = [...loaded.diagnostics, ...options.diagnostics];
  if (state.problem) diagnostics.push(diagnostic('CF7004', state.problem));
  // A chain naming no provider fails every model call: that is a finding, not just a listing.
  const code = hasErrors(diagnostics) ? EXIT_FINDINGS : EXIT_OK;
  const shownDiagnostics = redactor.value(diagnostics);

  if (flags.json) {
    jsonOut(io, { ok: code === EXIT_OK, command: 'providers', providers: rows, chain, stateFile: options.stateFile, diagnostics: shownDiagnostics });
    return code;
  }
  printDiagnostics(io, shownDiagnostics, flags);
  io.stdout(formatTable(rows));
  const chainNote = chain.configured ? '' : ' (default: set CODEX_FLOW_PROVIDER / CODEX_FLOW_FALLBACK or pass --provider / --fallback)';
  io.stdout(`\nchain: ${chainIds.join(' → ')}${chainNote}\nstate: ${options.stateFile}${state.problem ? ' (unreadable)' : ''}\n`);
  return code;
}

function formatTable(rows: ProviderRow[]): string {
  const header = ['PROVIDER', 'KIND', 'MODEL', 'ENDPOINT', 'STATE'];
  const cells = rows.map((row) => [row.id, row.kind, row.model, row.endpoint ?? '-', row.detail + (row.lastError && row.status !== 'healthy' ? ` (last error: ${row.lastError.kind})` : '')]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => (column === values.length - 1 ? value : value.padEnd(widths[column]!))).join('  ');
  return `${[line(header), ...cells.map(line)].join('\n')}\n`;
}

/** Scheme, host and path only: user-info and query strings can carry credentials. */
function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return raw;
  }
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program.command('providers').description('list providers, their models and their live state (healthy, cooling down, circuit open)'),
  ).action(async (flags: CommonFlags) => setExit(await runProviders(io, flags)));
}
