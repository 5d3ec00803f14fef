/**
 * The model reranker around a lexical route (router/rerank/ holds its pure parts): the lexical top
 * k and the request go to the configured model through the provider chain `run` uses; its answer
 * is checked, repaired once, and laid over the lexical order. Whatever goes wrong — the deadline
 * (`timeout_ms`, covering both tries and every retry), the budget, the provider, two unusable
 * answers — the lexical order stands and the report says why. A bug of our own still throws (exit
 * 70). Answers are cached on disk (rerank-cache.ts), so a repeated request makes no call.
 *
 * @example
 * const settings = rerankSettings(config, locate, 'on');
 * if (settings.options?.enabled) ({ result, report } = await rerankRoute({ root, env, config, fleet, fleetHash, request, result, top: 5, options: settings.options }));
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CodexFlowConfig, LoadedConfig } from '../config/config.js';
import type { LoadedFleet } from '../fleet/load.js';
import { Budget } from '../providers/budget.js';
import { createProviderChain, type ProviderChain } from '../providers/chain.js';
import { ProviderError, UnknownProviderError } from '../providers/errors.js';
import { isProgrammingError } from '../providers/faults.js';
import { resolveProviderOptions, type ProvidersConfig } from '../providers/options.js';
import type { Message } from '../providers/provider.js';
import { Redactor } from '../providers/redact.js';
import { checkRerankAnswer, repairMessage, type RankedId } from '../router/rerank/answer.js';
import { rerankCacheKey } from '../router/rerank/cache-key.js';
import { mergeRanking } from '../router/rerank/merge.js';
import { resolveRerankOptions, type RerankOptions } from '../router/rerank/options.js';
import { briefExcerpt, buildRerankPrompt, RERANK_OUTPUT_TOKENS, type RerankCandidate } from '../router/rerank/prompt.js';
import type { RerankFallbackReason, RerankReport } from '../router/rerank/report.js';
import type { LearnedRoute } from '../learn/open.js';
import type { RouteRequest, RouteResult } from '../router/types.js';
import { RerankCache } from './rerank-cache.js';

/** `--rerank on|off` (or the server's `rerank: true|false`); undefined follows the config. */
export type RerankSwitch = 'on' | 'off' | undefined;

/** The reranker's settings when it is to run; CF3200 errors (at `file:line:col`) when the section is wrong. */
export function rerankSettings(
  config: CodexFlowConfig | undefined,
  locate: LoadedConfig['locate'] | undefined,
  switched: RerankSwitch,
): { options?: RerankOptions; diagnostics: Diagnostic[] } {
  if (switched === 'off') return { diagnostics: [] };
  const section = (config?.router as Record<string, unknown> | undefined)?.rerank;
  const { options, problems } = resolveRerankOptions(section);
  const diagnostics = problems.map((problem) =>
    diagnostic('CF3200', problem.message, locate?.(['router', 'rerank', ...problem.path]), { hint: problem.hint }),
  );
  if (!options) return { diagnostics };
  const enabled = switched === 'on' || options.enabled;
  return enabled ? { options: { ...options, enabled }, diagnostics } : { diagnostics };
}

export interface RerankRouteInput {
  root: string;
  env: Record<string, string | undefined>;
  config: CodexFlowConfig;
  locate?: LoadedConfig['locate'];
  fleet: LoadedFleet;
  fleetHash: string;
  request: RouteRequest;
  /** The lexical route, asked for at least `options.k` candidates. */
  result: RouteResult;
  /** Candidates to answer after reranking. */
  top: number;
  options: RerankOptions;
  now?: () => number;
}

export interface RerankedRoute {
  result: RouteResult;
  report: RerankReport;
  diagnostics: Diagnostic[];
}

/**
 * Reranks a route made with `record: false` and, when `record`, records its decision for the
 * reranked order (cut to `top`): the decision names the agent shown first, so feedback on the
 * route credits that agent, not the lexical top-1. The CLI's `route` and the server's both use it.
 */
export async function rerankLearned(
  input: Omit<RerankRouteInput, 'result'> & { learned: LearnedRoute; record: boolean },
): Promise<{ reranked: RerankedRoute; learned: LearnedRoute }> {
  const { learned, record, ...rest } = input;
  const reranked = await rerankRoute({ ...rest, result: learned.result });
  return { reranked, learned: record ? learned.recordShown(reranked.result) : learned };
}

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export async function rerankRoute(input: RerankRouteInput): Promise<RerankedRoute> {
  const { options, request } = input;
  const now = input.now ?? Date.now;
  const started = performance.now();
  const shortlist = input.result.candidates.slice(0, options.k);
  const identity = { ...(options.provider ? { provider: options.provider } : {}), ...(options.model ? { model: options.model } : {}) };
  const spent = { tokens: { input: 0, output: 0 }, costUsd: 0 as number | null, calls: 0 };
  const finish = (ranking: RankedId[] | undefined, extra: Partial<RerankReport>, diagnostics: Diagnostic[] = []): RerankedRoute => {
    const merged = mergeRanking(shortlist, ranking);
    const candidates = [...merged.candidates, ...input.result.candidates.slice(options.k)].slice(0, input.top);
    const report: RerankReport = {
      status: ranking ? 'reranked' : 'lexical',
      cacheHit: false,
      ...identity,
      k: options.k,
      places: merged.places,
      ...spent,
      repaired: false,
      ...extra,
      elapsedMs: Math.round(performance.now() - started),
    };
    return { result: { ...input.result, candidates }, report, diagnostics };
  };
  const fallback = (reason: RerankFallbackReason, message: string, diagnostics: Diagnostic[]) =>
    finish(undefined, { fallback: { reason, message } }, diagnostics);

  if (shortlist.length < 2) return fallback('nothing', 'fewer than two candidates: nothing to reorder', []);
  const cache = new RerankCache(input.root, now);
  const key = rerankCacheKey({ fleetHash: input.fleetHash, request, ...identity, k: options.k });
  const cached = cache.read(key);
  const notes: Diagnostic[] = cached.problem ? [diagnostic('CF3206', `rerank cache: ${cached.problem}`)] : [];
  if (cached.entry) return finish(cached.entry.ranking, { cacheHit: true }, notes);

  const providerOptions = resolveProviderOptions(input.env, (input.config.providers ?? {}) as ProvidersConfig);
  const redactor = new Redactor(providerOptions.secrets);
  let chain: ProviderChain;
  try {
    chain = createProviderChain({ ...(options.provider ? { provider: options.provider } : {}), fallback: options.fallback }, input.env, {
      cwd: input.root,
      resolved: providerOptions,
      redactor,
      log: () => {},
      ...(options.budgetUsd === null ? {} : { budget: new Budget(options.budgetUsd) }),
    });
  } catch (error) {
    if (!(error instanceof UnknownProviderError)) throw error;
    const where = input.locate?.(['router', 'rerank', options.provider ? 'provider' : 'fallback']);
    return fallback('config', error.message, [...notes, diagnostic('CF3200', error.message, where, { hint: error.hint })]);
  }
  const prompt = buildRerankPrompt(
    request,
    shortlist.map((candidate) => promptCandidate(input.fleet, candidate.id)),
  );
  const ids = shortlist.map((candidate) => candidate.id);
  const outcome = await askModel(chain, prompt, ids, options, spent);
  notes.push(...chain.modelDiagnostics());
  if (outcome.ranking) {
    const problem = cache.write(key, { ...identity, ranking: outcome.ranking }, options.ttlMs);
    if (problem) notes.push(diagnostic('CF3206', `rerank cache: ${problem}`));
    if (outcome.repairedFrom) notes.push(diagnostic('CF3202', `the reranker's first answer was repaired: ${outcome.repairedFrom}`));
    return finish(outcome.ranking, { repaired: outcome.repairedFrom !== undefined }, notes);
  }
  const message = redactor.text(outcome.failure!.message);
  return fallback(outcome.failure!.reason, message, [...notes, diagnostic(FALLBACK_CODES[outcome.failure!.reason], message)]);
}

const FALLBACK_CODES = { timeout: 'CF3203', budget: 'CF3204', provider: 'CF3205', invalid: 'CF3201' } as const;

type Failure = { reason: keyof typeof FALLBACK_CODES; message: string };

/** Both tries under one deadline; the race makes the bound hold even if a provider ignored the abort. */
async function askModel(
  chain: ProviderChain,
  prompt: { system: string; user: string },
  ids: string[],
  options: RerankOptions,
  spent: { tokens: { input: number; output: number }; costUsd: number | null; calls: number },
): Promise<{ ranking?: RankedId[]; repairedFrom?: string; failure?: Failure }> {
  const controller = new AbortController();
  const deadlineAt = performance.now() + options.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineError(`no answer within timeout_ms ${options.timeoutMs}`));
      reject(new DeadlineError(`no answer within timeout_ms ${options.timeoutMs}`));
    }, options.timeoutMs);
  });
  deadline.catch(() => {});
  const messages: Message[] = [{ role: 'user', content: prompt.user }];
  const problems: string[] = [];
  try {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const call = chain.generate(
        {
          ...(options.model ? { model: options.model } : {}),
          system: prompt.system,
          messages,
          maxOutputTokens: RERANK_OUTPUT_TOKENS,
          temperature: 0,
          timeoutMs: Math.max(1, Math.ceil(deadlineAt - performance.now())),
        },
        controller.signal,
      );
      call.catch(() => {});
      const result = await Promise.race([call, deadline]);
      spent.calls++;
      spent.tokens.input += result.usage.input;
      spent.tokens.output += result.usage.output;
      spent.costUsd = spent.costUsd === null || result.costUsd === null ? null : spent.costUsd + result.costUsd;
      const checked = checkRerankAnswer(result.text, ids);
      if (checked.ranking) return { ranking: checked.ranking, ...(attempt > 1 ? { repairedFrom: problems.join('; ') } : {}) };
      problems.push(`answer ${attempt}: ${checked.problems.join('; ')}`);
      messages.push({ role: 'assistant', content: result.text }, { role: 'user', content: repairMessage(checked.problems) });
    }
    return { failure: { reason: 'invalid', message: `the model's answers could not be used (${problems.join('; ')})` } };
  } catch (error) {
    if (isProgrammingError(error)) throw error;
    if (error instanceof DeadlineError || controller.signal.aborted)
      return { failure: { reason: 'timeout', message: `no answer within timeout_ms ${options.timeoutMs}` } };
    if (error instanceof ProviderError && error.kind === 'budget') return { failure: { reason: 'budget', message: error.message } };
    const text = error instanceof ProviderError ? error.summary() : (error as Error).message;
    return { failure: { reason: 'provider', message: `the rerank call failed: ${text}` } };
  } finally {
    clearTimeout(timer);
  }
}

/** What the prompt says of one candidate; an unreadable definition still shows its id. */
function promptCandidate(fleet: LoadedFleet, id: string): RerankCandidate {
  const definition = fleet.definition(id);
  return {
    id,
    description: definition?.agent.description ?? '',
    excerpt: briefExcerpt(definition?.prompt.system ?? ''),
  };
}
