/**
 * Whether a provider's endpoint answers now: one unauthenticated GET, bounded by a timeout. Any
 * HTTP response, 404 and 401 included, means a server is there; only a connection that fails or
 * stays silent is "unreachable". No key is sent: the probe checks the address, never the
 * credentials, so a probe cannot leak a key to a wrong URL. The state file only knows how past
 * calls went; this is what `codex-flow providers` calls live.
 *
 * @example
 * const result = await probeEndpoint('http://127.0.0.1:11434/api/version', 2_000);
 * if (!result.reachable) console.log(result.problem); // "ECONNREFUSED"
 */
import type { ProviderSettings } from './provider-settings.js';

export type ProbeResult = { reachable: true; ms: number; status: number } | { reachable: false; ms: number; problem: string };

/** The default bound on one probe: a local server answers in milliseconds, a remote API in well under a second. */
export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

/** The URL to probe for a provider, or undefined for one that has no endpoint (a CLI command). */
export function probeUrl(settings: Pick<ProviderSettings, 'kind' | 'baseURL'>): string | undefined {
  if (!settings.baseURL || settings.kind === 'cli') return undefined;
  // Ollama's base URL is its `/api`; `/api/version` is the cheapest route it serves.
  return settings.kind === 'ollama' ? `${settings.baseURL}/version` : settings.baseURL;
}

export async function probeEndpoint(url: string, timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: controller.signal });
    // The body is not needed; cancelling it frees the connection at once.
    await response.body?.cancel().catch(() => {});
    return { reachable: true, ms: elapsed(), status: response.status };
  } catch (error) {
    const problem = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : networkProblem(error);
    return { reachable: false, ms: elapsed(), problem };
  } finally {
    clearTimeout(timer);
  }
}

/** Fetch hides the useful part a cause or two deep: its code (`ECONNREFUSED`, `ENOTFOUND`) says it all. */
function networkProblem(error: unknown): string {
  let message: string | undefined;
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message: text } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^E[A-Z]+$|^UND_ERR/.test(code)) return code;
    if (typeof text === 'string' && text !== 'fetch failed') message = text.split('\n', 1)[0];
  }
  return message ?? 'the connection failed';
}
