/**
 * `codex-flow providers [--json] [--no-probe]`: every provider codex-flow knows, whether it is
 * configured (and if not, the one variable to set), its model and endpoint, whether the endpoint
 * answers now (one bounded, unauthenticated probe per provider, all at once: providers/probe.ts),
 * and how recent calls went from `.codex-flow/providers-state.json`: rate-limited until T, circuit
 * open and cooling down until T, half-open, low quota. "healthy" means both: it answers and no
 * recorded failure holds it back. Under --no-probe nothing is called and the state says so
 * ("not probed") instead of claiming health. Never prints a key.
 *
 * Exit 0, or 1 when the configured chain names a provider that does not exist (every model call
 * would fail); settings it had to ignore and endpoints that do not answer are warnings.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';
import type { ProbeResult } from '../../providers/probe.js';

export interface ProvidersDeps {
  now?: () => number;
  probeTimeoutMs?: number;
}

export interface ProvidersFlags extends CommonFlags {
  /** False under --no-probe: report the state file only, and say the state is not live. */
  probe?: boolean;
}

/** The setting a user changes to move each built-in provider's endpoint. */
const URL_SETTINGS: Record<string, string> = {
  openai: 'OPENAI_BASE_URL',
  anthropic: 'ANTHROPIC_BASE_URL',
  ollama: 'OLLAMA_HOST',
  compatible: 'OPENAI_COMPATIBLE_BASE_URL',
  http: 'CODEX_FLOW_HTTP_URL',
};

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
  probe?: ProbeResult;
}

export async function runProviders(io: CommandIO, flags: ProvidersFlags, deps: ProvidersDeps = {}): Promise<number> {
  const [
    { loadConfig },
    { resolveProviderOptions },
    { resolveChainIds },
    { readStateFile },
    { describeHealth, freshHealth },
    { Redactor },
    { diagnostic, hasErrors },
    { probeEndpoint, probeUrl },
  ] = await Promise.all([
    import('../../config/config.js'),
    import('../../providers/options.js'),
    import('../../providers/chain.js'),
    import('../../providers/state-store.js'),
    import('../../providers/breaker.js'),
    import('../../providers/redact.js'),
    import('../../diagnostics/diagnostic.js'),
    import('../../providers/probe.js'),
  ]);
  const loaded = await loadConfig(io.cwd, flags.config);
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'providers', loaded.diagnostics, flags);
  const options = resolveProviderOptions(io.env, loaded.config.providers as never);
  const definitions = (loaded.config.providers as { definitions?: Record<string, { baseURL?: string }> } | undefined)?.definitions ?? {};
  const redactor = new Redactor(options.secrets);
  const stateFile = resolve(io.cwd, options.stateFile);
  const state = readStateFile(stateFile);
  const now = (deps.now ?? Date.now)();
  const settingsList = Object.values(options.providers);
  // Every configured endpoint at once, so the command takes one timeout at most, not one per provider.
  const probes = await Promise.all(
    settingsList.map((settings) => {
      const url = flags.probe === false || !settings.configured ? undefined : probeUrl(settings);
      return url === undefined ? undefined : probeEndpoint(url, deps.probeTimeoutMs);
    }),
  );
  const chainIds = resolveChainIds({}, options);
  // Calls go to the chain: an endpoint outside it that does not answer is shown, not warned about.
  const unreachable: string[] = [];

  const rows: ProviderRow[] = settingsList.map((settings, index) => {
    const health = describeHealth(state.providers[settings.id] ?? freshHealth(), now, options.breaker.windowMs);
    const probe = probes[index];
    const live = liveState(health, probe);
    const row: ProviderRow = {
      id: settings.id,
      kind: settings.kind,
      model: settings.model,
      configured: settings.configured,
      status: settings.configured ? live.status : 'not-configured',
      detail: settings.configured ? live.detail : `not configured: ${settings.missing}`,
    };
    if (probe) row.probe = probe;
    if (probe && !probe.reachable && chainIds.includes(settings.id)) {
      const setting =
        definitions[settings.id]?.baseURL !== undefined
          ? `providers.definitions.${settings.id}.baseURL`
          : (URL_SETTINGS[settings.id] ?? `providers.definitions.${settings.id}.baseURL`);
      const source =
        setting.startsWith('providers.') || io.env[setting]?.trim() ? `${setting} sets it` : `the default endpoint; ${setting} moves it`;
      unreachable.push(`${settings.id}: ${displayUrl(settings.baseURL!)} does not answer (${probe.problem}); ${source}`);
    }
    if (settings.missing) row.missing = settings.missing;
    const endpoint = settings.kind === 'cli' ? settings.command?.split(/\s+/, 1)[0] : settings.baseURL && displayUrl(settings.baseURL);
    if (endpoint) row.endpoint = endpoint;
    if (settings.price) row.pricePer1k = settings.price;
    if (health.until) row.until = health.until;
    if (health.failureRate !== undefined) row.failureRate = health.failureRate;
    if (health.lastError) row.lastError = { ...health.lastError, at: new Date(health.lastError.at).toISOString() };
    return redactor.value(row);
  });
  const chain = { ids: chainIds, configured: options.provider !== undefined };
  const diagnostics = [...loaded.diagnostics, ...options.diagnostics, ...unreachable.map((message) => diagnostic('CF9012', message))];
  if (state.problem) diagnostics.push(diagnostic('CF7004', state.problem));
  // A chain naming no provider fails every model call: that is a finding, not just a listing.
  const code = hasErrors(diagnostics) ? EXIT_FINDINGS : EXIT_OK;
  const shownDiagnostics = redactor.value(diagnostics);

  if (flags.json) {
    jsonOut(io, {
      ok: code === EXIT_OK,
      command: 'providers',
      providers: rows,
      chain,
      stateFile: options.stateFile,
      diagnostics: shownDiagnostics,
    });
    return code;
  }
  printDiagnostics(io, shownDiagnostics, flags);
  io.stdout(formatTable(rows));
  const chainNote = chain.configured ? '' : ' (default: set CODEX_FLOW_PROVIDER / CODEX_FLOW_FALLBACK or pass --provider / --fallback)';
  io.stdout(`\nchain: ${chainIds.join(' → ')}${chainNote}\nstate: ${options.stateFile}${state.problem ? ' (unreadable)' : ''}\n`);
  return code;
}

/**
 * The probe decides reachability; the state file says whether recent failures hold the provider
 * back. A provider the probe did not reach is unreachable whatever the file says.
 */
function liveState(health: { status: string; detail: string }, probe: ProbeResult | undefined): { status: string; detail: string } {
  if (probe && !probe.reachable)
    return { status: 'unreachable', detail: `unreachable: ${probe.problem}${health.status === 'healthy' ? '' : ` (${health.detail})`}` };
  if (health.status !== 'healthy') return health;
  if (!probe) return { status: 'not-probed', detail: 'not probed; no failed calls recorded' };
  return { status: 'healthy', detail: `reachable (${probe.ms} ms), no failed calls recorded` };
}

function formatTable(rows: ProviderRow[]): string {
  const header = ['PROVIDER', 'KIND', 'MODEL', 'ENDPOINT', 'STATE'];
  const cells = rows.map((row) => [
    row.id,
    row.kind,
    row.model,
    row.endpoint ?? '-',
    row.detail + (row.lastError && row.status !== 'healthy' ? ` (last error: ${row.lastError.kind})` : ''),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: string[]) =>
    values.map((value, column) => (column === values.length - 1 ? value : value.padEnd(widths[column]!))).join('  ');
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
    program
      .command('providers')
      .description(
        'list providers, their models, whether each endpoint answers now, and the state of recent calls (rate-limited, circuit open)',
      ),
  )
    .option('--no-probe', 'do not call the endpoints; show only the state recorded from past calls')
    .action(async (flags: ProvidersFlags) => setExit(await runProviders(io, flags)));
}
