/**
 * Failover: `--provider openai --fallback anthropic,ollama` as one object with the provider
 * interface's `generate` and `stream`. The runner calls this; it never talks to a provider directly.
 *
 * Per request, the attempt schedule (chain-schedule.ts) yields providers in order, in rounds,
 * skipping with a one-line reason those that cannot serve and waiting a full-jitter backoff
 * between attempts. This file decides what a failure means: a retryable one moves on (logged,
 * chain-log.ts); an auth, request or budget error stops at once and says what to fix. Every
 * outcome feeds the provider's circuit breaker. When nothing can serve the request, the error
 * lists every cause. A programming error (faults.ts) is none of these: it goes up unchanged, with
 * no failover and no breaker outcome.
 *
 * Streams: a failure before the first event reaches the caller is retried invisibly. After it,
 * a cut with tool calls in flight ends in an `incomplete` event; a cut in prose is an error,
 * unless `continueOnFallback` is on, in which case a `failover` event is emitted and the next
 * provider continues the text.
 *
 * The per-call work the chain adds is a few comparisons and object writes: breaker state lives in
 * memory and reaches the state file lazily (state-store.ts).
 *
 * @example
 * const chain = createProviderChain({ provider: 'openai', fallback: ['anthropic', 'ollama'] }, process.env);
 * const result = await chain.generate({ messages: [{ role: 'user', content: 'Summarise this diff' }] });
 * for await (const event of chain.stream(request)) if (event.type === 'text') process.stdout.write(event.text);
 * chain.flush();
 */
import { resolve } from 'node:path';
import { systemClock, type Clock } from './backoff.js';
import { CircuitBreaker } from './breaker.js';
import { estimateCallUsd, type Budget, type Reservation } from './budget.js';
import { stderrLog, type ProviderLogEvent } from './chain-log.js';
import { scheduleAttempts, type Member, type Plan, type ScheduleContext } from './chain-schedule.js';
import { ProviderChainError, ProviderError, type ChainCause } from './errors.js';
import { isProgrammingError } from './faults.js';
import { resolveProviderOptions, type ProvidersConfig, type ResolvedProviderOptions } from './options.js';
import type { Provider, ProviderRequest, ProviderResult, StreamEvent, ToolCall } from './provider.js';
import { Redactor } from './redact.js';
import { createProvider, runtimeFor, unknownProvider } from './registry.js';
import type { ProviderRuntime } from './runtime.js';
import { ProviderStateStore } from './state-store.js';
import { resolveModel, unknownModelDiagnostic, type ResolvedModel } from './model-map.js';
import { priceFor } from './provider-settings.js';
import { benchKey, type BenchPriors } from './bench-priors.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Workload } from '../fleet/workload.js';
import { rankTierChain, type RankedChain, type TierEntry, type TierObservation } from './tiers.js';

export { formatLogEvent, type ProviderLogEvent, type ProviderLogEventName } from './chain-log.js';

export interface ChainSpec {
  /** The first provider; defaults to CODEX_FLOW_PROVIDER, else the first with credentials. */
  provider?: string;
  fallback?: readonly string[];
  /** Per provider id, the model it runs whatever the request names (a tier chain's `provider:model`). */
  models?: Readonly<Record<string, string>>;
}

export interface ChainOptions {
  config?: ProvidersConfig;
  /** Options already resolved (wins over `config`). */
  resolved?: ResolvedProviderOptions;
  /** Base for the state file; defaults to the process working directory. */
  cwd?: string;
  /** Path of the state file, or null to keep health in memory only. */
  stateFile?: string | null;
  clock?: Clock;
  random?: () => number;
  /** Receives every skip, failover and circuit change, already redacted. Defaults to stderr. */
  log?: (event: ProviderLogEvent) => void;
  budget?: Budget;
  continueOnFallback?: boolean;
  /**
   * The run's one redactor (it must know `resolved.secrets`; openRunContext adds the memory URL's
   * password). Default: one knowing the providers' secrets.
   */
  redactor?: Redactor;
  /** Ready-made providers by id, used instead of building them from settings. */
  providers?: Record<string, Provider>;
  /** What the outcomes say about each provider within a workload tier (ranks the tier chains). */
  tierObservations?: (workload: Workload) => ReadonlyMap<string, TierObservation> | undefined;
  /** The bench results per (provider, model) (bench-priors.ts): the tier ranking's prior. */
  benchPriors?: BenchPriors;
  /** Internal: a tier chain shares its parent's state file and provider health. */
  shared?: SharedMembers;
}

/** One state store and one member (breaker, built provider) per provider id, for a chain and its tier chains. */
interface SharedMembers {
  store: ProviderStateStore;
  pool: Map<string, Member>;
}

/** The chain a workload tier runs on, and why its members are in that order. */
export interface TierView {
  workload: Workload;
  chain: ProviderChain;
  ranked?: RankedChain;
}

export interface Attempt {
  provider: string;
  ok: boolean;
  delayMs: number;
  error?: ProviderError;
}

export type ChainResult = ProviderResult & { attempts: Attempt[] };

/** Sent to the fallback when prose continues after a cut (opt-in). */
export const CONTINUE_PROMPT =
  'Your previous reply was cut off. Continue exactly where it stopped, without repeating anything already written.';

export function createProviderChain(spec: ChainSpec, env: Record<string, string | undefined>, options: ChainOptions = {}): ProviderChain {
  return new ProviderChain(spec, env, options);
}

export class ProviderChain {
  readonly options: ResolvedProviderOptions;
  readonly members: readonly Member[];
  readonly store: ProviderStateStore;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly runtime: ProviderRuntime;
  private readonly redactor: Redactor;
  private readonly sink: (event: ProviderLogEvent) => void;
  private readonly continueOnFallback: boolean;
  private readonly scheduleContext: ScheduleContext;
  private skipsLogged = false;
  private readonly unknownModels = new Map<string, { provider: string; requested: string; resolved: ResolvedModel }>();
  private readonly shared: SharedMembers;
  private readonly modelOverrides: Readonly<Record<string, string>>;
  private readonly tierViews = new Map<Workload, TierView>();

  constructor(
    spec: ChainSpec,
    private readonly env: Record<string, string | undefined>,
    private readonly chainOptions: ChainOptions = {},
  ) {
    const options = chainOptions.resolved ?? resolveProviderOptions(env, chainOptions.config);
    this.options = options;
    this.clock = chainOptions.clock ?? systemClock;
    this.random = chainOptions.random ?? Math.random;
    this.redactor = chainOptions.redactor ?? new Redactor(options.secrets);
    this.runtime = runtimeFor(options, this.redactor);
    this.sink = chainOptions.log ?? stderrLog;
    this.continueOnFallback = chainOptions.continueOnFallback ?? options.continueOnFallback;
    const stateFile =
      chainOptions.stateFile !== undefined ? chainOptions.stateFile : resolve(chainOptions.cwd ?? process.cwd(), options.stateFile);
    this.shared = chainOptions.shared ?? { store: new ProviderStateStore(stateFile), pool: new Map() };
    this.store = this.shared.store;
    this.modelOverrides = spec.models ?? {};
    this.members = resolveChainIds(spec, options).map((id) => this.member(id));
    if (this.store.readProblem && !chainOptions.shared) this.log({ event: 'state-problem', provider: '-', reason: this.store.readProblem });
    this.scheduleContext = {
      members: this.members,
      options,
      clock: this.clock,
      random: this.random,
      log: (event) => this.log(event),
      onFirstPlan: (plan) => this.logSkips(plan),
    };
  }

  /** The one member of a provider id, shared with the tier chains (one breaker per provider). */
  private member(id: string): Member {
    const known = this.shared.pool.get(id);
    if (known) return known;
    const settings = this.options.providers[id];
    if (!settings) throw unknownProvider(id, this.options);
    const store = this.shared.store;
    const breaker = new CircuitBreaker(store.health(id), this.options.breaker, this.options.retryAfterCapMs, (urgent) =>
      store.changed(id, urgent),
    );
    const member: Member = { id, settings, breaker, provider: this.chainOptions.providers?.[id] };
    this.shared.pool.set(id, member);
    return member;
  }

  /**
   * The chain of a workload tier (`providers.tiers`), its members ranked for this run; this chain
   * itself when the tier has none. Built once per tier and chain.
   *
   * @example chain.forWorkload('coding').chain.generate(request)
   */
  forWorkload(workload: Workload): TierView {
    const known = this.tierViews.get(workload);
    if (known) return known;
    const entries = this.options.tiers[workload];
    let view: TierView;
    if (!entries || entries.length === 0) {
      view = { workload, chain: this };
    } else {
      const modelOf = (entry: TierEntry) =>
        resolveModel(this.member(entry.provider).settings, entry.model, this.options.models[entry.provider] ?? {}).model;
      const priceOf = (entry: TierEntry) => priceFor(this.member(entry.provider).settings, modelOf(entry));
      const benchOf = (entry: TierEntry) => this.chainOptions.benchPriors?.get(benchKey(entry.provider, modelOf(entry)));
      const ranked = rankTierChain(entries, priceOf, this.chainOptions.tierObservations?.(workload), this.options.tierChoice, benchOf);
      const [first, ...rest] = ranked.order.map((member) => member.provider);
      const models = Object.fromEntries(ranked.order.flatMap((member) => (member.model ? [[member.provider, member.model]] : [])));
      const chain = new ProviderChain({ provider: first, fallback: rest, models }, this.env, {
        ...this.chainOptions,
        resolved: this.options,
        redactor: this.redactor,
        clock: this.clock,
        random: this.random,
        shared: this.shared,
      });
      view = { workload, chain, ranked };
    }
    this.tierViews.set(workload, view);
    return view;
  }

  /** The providers in order, as ids. */
  get ids(): string[] {
    return this.members.map((member) => member.id);
  }

  async generate(request: ProviderRequest, signal?: AbortSignal): Promise<ChainResult> {
    const reservation = this.reserve(request);
    try {
      const causes: ChainCause[] = [];
      const attempts: Attempt[] = [];
      for await (const { member, gate, delayMs } of scheduleAttempts(this.scheduleContext, request, causes, signal)) {
        member.breaker.begin(gate);
        try {
          const provider = await this.load(member);
          const result = await provider.generate(this.requestFor(member, request), signal);
          this.succeeded(member, result, reservation);
          attempts.push({ provider: member.id, ok: true, delayMs });
          return { ...result, attempts };
        } catch (thrown) {
          if (isProgrammingError(thrown)) throw this.bug(member, thrown);
          const error = this.failed(member, thrown);
          attempts.push({ provider: member.id, ok: false, delayMs, error });
          if (!error.isRetryable) throw error;
          causes.push({ provider: member.id, error });
        }
      }
      throw new ProviderChainError(causes);
    } finally {
      reservation?.release();
    }
  }

  async *stream(request: ProviderRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const reservation = this.reserve(request);
    try {
      yield* this.streamWithin(request, reservation, signal);
    } finally {
      reservation?.release();
    }
  }

  private async *streamWithin(
    request: ProviderRequest,
    reservation: Reservation | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<StreamEvent> {
    const causes: ChainCause[] = [];
    let current = request;
    let shown = ''; // text the caller has seen, across providers
    let emitted = false;
    let toolCalls: ToolCall[] = [];
    let toolsInFlight = false;
    let continuation: { from: string; reason: string } | undefined;
    let continued = false;
    for await (const { member, gate } of scheduleAttempts(this.scheduleContext, request, causes, signal)) {
      member.breaker.begin(gate);
      if (continuation) {
        yield { type: 'failover', from: continuation.from, to: member.id, reason: continuation.reason };
        continuation = undefined;
        continued = true;
      }
      let settled = false;
      try {
        const provider = await this.load(member);
        for await (const event of provider.stream(this.requestFor(member, current), signal)) {
          if (event.type === 'finish') {
            settled = true;
            this.succeeded(member, event.result, reservation);
            yield { type: 'finish', result: continued ? { ...event.result, text: shown } : event.result };
            return;
          }
          emitted = true;
          if (event.type === 'text') shown += event.text;
          else if (event.type === 'tool-call-start') toolsInFlight = true;
          else if (event.type === 'tool-call') toolCalls = [...toolCalls, event.call];
          yield event;
        }
        throw new ProviderError('stream-cut', 'the stream ended without a result', { provider: member.id });
      } catch (thrown) {
        settled = true;
        if (isProgrammingError(thrown)) throw this.bug(member, thrown);
        const error = this.failed(member, thrown);
        if (!emitted) {
          if (!error.isRetryable) throw error;
          causes.push({ provider: member.id, error });
          continue;
        }
        if (toolsInFlight || toolCalls.length > 0) {
          yield { type: 'incomplete', error, partial: partialResult(member, this.modelFor(member, request).model, shown, toolCalls) };
          return;
        }
        if (!this.continueOnFallback || !error.isRetryable) {
          throw new ProviderError(error.kind, `${error.message}; the answer is incomplete (${shown.length} characters arrived)`, {
            provider: error.provider,
            status: error.status,
            hint: error.hint,
          });
        }
        causes.push({ provider: member.id, error });
        continuation = { from: member.id, reason: error.summary() };
        current = {
          ...request,
          messages: [...request.messages, { role: 'assistant', content: shown }, { role: 'user', content: CONTINUE_PROMPT }],
        };
      } finally {
        if (!settled) member.breaker.release();
      }
    }
    throw new ProviderChainError(causes);
  }

  /** Writes pending health changes to the state file; returns a problem, if any. */
  flush(): string | undefined {
    return this.store.flush();
  }

  /** The budget this chain spends, if any. */
  get budget(): Budget | undefined {
    return this.chainOptions.budget;
  }

  /**
   * Holds the request's estimated cost on the budget before any provider is called (budget.ts), so
   * parallel calls cannot all pass a budget that fits one of them; throws the `budget` error.
   */
  private reserve(request: ProviderRequest): Reservation | undefined {
    const budget = this.chainOptions.budget;
    return budget?.reserve(
      estimateCallUsd(
        request,
        this.members.map((member) => priceFor(member.settings, this.modelFor(member, request).model)),
      ),
    );
  }

  /** The model `member` uses for the request's `model:` (its own when none is named); unknown names are kept for {@link modelDiagnostics}. */
  modelFor(member: Member, request: Pick<ProviderRequest, 'model'>): ResolvedModel {
    const requested = this.modelOverrides[member.id] ?? request.model;
    const resolved = resolveModel(member.settings, requested, this.options.models[member.id] ?? {});
    if (resolved.unknown) this.unknownModels.set(`${member.id}\0${requested}`, { provider: member.id, requested: requested!, resolved });
    return resolved;
  }

  /** One CF7021 warning per provider and model name the chain could not map, in the order met. */
  modelDiagnostics(): Diagnostic[] {
    return [...this.unknownModels.values()].map(({ provider, requested, resolved }) =>
      unknownModelDiagnostic(provider, requested, resolved),
    );
  }

  /** What each provider of the chain would run for a brief's `model:`, in chain order (`run --dry-run`). */
  modelsFor(model: string | undefined): Array<{ provider: string } & Pick<ResolvedModel, 'model' | 'source' | 'note'>> {
    return this.members.map((member) => {
      const { model: id, source, note } = this.modelFor(member, { model });
      return { provider: member.id, model: id, source, ...(note ? { note } : {}) };
    });
  }

  /** Each provider gets the concrete id of its own model table, never the brief's tier name. */
  private requestFor(member: Member, request: ProviderRequest): ProviderRequest {
    if (request.model === undefined && this.modelOverrides[member.id] === undefined) return request;
    return { ...request, model: this.modelFor(member, request).model };
  }

  private succeeded(member: Member, result: ProviderResult, reservation: Reservation | undefined): void {
    const hadLowQuota = member.breaker.health.lowQuota?.until;
    member.breaker.recordSuccess(this.clock.now(), result.rateLimit);
    if (reservation?.settle(result.costUsd))
      this.log({ event: 'budget-warning', provider: member.id, reason: this.chainOptions.budget!.describe() });
    const low = member.breaker.health.lowQuota;
    if (low && low.until !== hadLowQuota) {
      this.log({
        event: 'provider-deprioritise',
        provider: member.id,
        reason: `${low.source}: under ${Math.round(this.options.breaker.proactiveThreshold * 100)} % of the quota left; other providers go first until ${new Date(low.until).toISOString()}`,
      });
    }
  }

  /**
   * A programming error: no failover (no other provider can fix our bug), no breaker outcome and
   * nothing for the state file. The probe slot is freed and the error goes up unchanged.
   */
  private bug(member: Member, error: Error): Error {
    member.breaker.release();
    return error;
  }

  private failed(member: Member, thrown: unknown): ProviderError {
    const error =
      thrown instanceof ProviderError
        ? thrown
        : new ProviderError('server', this.redactor.text(thrown instanceof Error ? thrown.message : String(thrown)), {
            provider: member.id,
          });
    const wasOpen = member.breaker.health.state === 'open';
    member.breaker.recordFailure(this.clock.now(), error);
    if (error.kind !== 'aborted') this.log({ event: 'provider-error', provider: member.id, reason: error.summary() });
    const health = member.breaker.health;
    if (!wasOpen && health.state === 'open') {
      this.log({
        event: 'circuit-open',
        provider: member.id,
        reason: `too many failures; cooling down until ${new Date(health.openUntil!).toISOString()}`,
      });
    }
    return error;
  }

  private async load(member: Member): Promise<Provider> {
    if (!member.provider) member.provider = createProvider(member.settings, this.env, this.runtime);
    try {
      return (member.provider = await member.provider);
    } catch (error) {
      member.provider = undefined;
      throw error;
    }
  }

  /** Skips are logged once per chain, not once per request: a long run would repeat them endlessly. */
  private logSkips(plan: Plan): void {
    if (this.skipsLogged) return;
    this.skipsLogged = true;
    for (const cause of plan.skipped) this.log({ event: 'provider-skip', provider: cause.provider, reason: cause.skipped! });
  }

  private log(event: ProviderLogEvent): void {
    this.sink(this.redactor.value(event));
  }
}

/**
 * The provider ids of a chain: the first, then the fallbacks, without repeats. Without a first
 * provider anywhere (flag, config, CODEX_FLOW_PROVIDER) it is OpenAI or Anthropic if they have
 * credentials, else the local Ollama.
 */
export function resolveChainIds(spec: ChainSpec, options: ResolvedProviderOptions): string[] {
  const first = spec.provider ?? options.provider ?? ['openai', 'anthropic'].find((id) => options.providers[id]?.configured) ?? 'ollama';
  const fallback = spec.fallback ?? options.fallback;
  return [...new Set([first, ...fallback])];
}

function partialResult(member: Member, model: string, text: string, toolCalls: ToolCall[]): ProviderResult {
  return {
    provider: member.id,
    model,
    text,
    toolCalls,
    usage: { input: 0, output: 0, cached: 0, estimated: true },
    costUsd: null,
    finishReason: 'other',
    timings: { ttftMs: null, totalMs: 0 },
  };
}
