/**
 * The server's Prometheus metrics (prom-client), in a registry of its own so two servers in one
 * process (tests, an embedding app) never share counters: requests by route and status, route
 * latency, runs by outcome, provider failovers, each provider's circuit-breaker state and the
 * queue's stats when one is configured.
 *
 * @example const metrics = new ServerMetrics(); metrics.routeSeconds.observe(0.002);
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProviderChain, ProviderLogEvent } from '../providers/chain.js';
import { registerQueueMetrics, type MetricsProject } from '../queue/metrics.js';

/**
 * Route latency buckets in seconds: a served route takes well under a millisecond to a few
 * milliseconds, so the buckets are dense there and stop at the slow client's scale.
 */
const ROUTE_BUCKETS = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Breaker states as gauge values: 0 passes calls, 2 refuses them. */
const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'codex_flow_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly routeSeconds = new Histogram({
    name: 'codex_flow_route_duration_seconds',
    help: 'Time to route one request (POST /v1/route), in seconds',
    buckets: ROUTE_BUCKETS,
    registers: [this.registry],
  });
  readonly runs = new Counter({
    name: 'codex_flow_runs_total',
    help: 'Runs ended, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly failovers = new Counter({
    name: 'codex_flow_provider_failovers_total',
    help: 'Provider failovers, by provider failed over from',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'codex_flow_fleet_reloads_total',
    help: 'Fleet reloads, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly chains = new Map<string, ProviderChain>();

  constructor() {
    const chains = this.chains;
    new Gauge({
      name: 'codex_flow_provider_breaker_state',
      help: 'Circuit-breaker state per provider: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'] as const,
      registers: [this.registry],
      collect() {
        for (const chain of chains.values())
          for (const member of chain.members) this.set({ provider: member.id }, BREAKER_VALUE[member.breaker.health.state]);
      },
    });
  }

  /** The route decisions held in memory and those dropped at the batch's bound (src/learn/decision-batch.ts), read on each scrape. */
  watchDecisions(batch: { readonly pending: number; readonly dropped: number }): void {
    new Gauge({
      name: 'codex_flow_route_decisions_unwritten',
      help: 'Route decisions held in memory until the decision log is written',
      registers: [this.registry],
      collect() {
        this.set(batch.pending);
      },
    });
    new Counter({
      name: 'codex_flow_route_decisions_dropped_total',
      help: 'Route decisions dropped because the decision log was written slower than routes arrived',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(batch.dropped);
      },
    });
  }

  /** The queue's jobs per alias and workers seen, read on each scrape within a bound (src/queue/metrics.ts). */
  watchQueue(project: MetricsProject): void {
    registerQueueMetrics(this.registry, project);
  }

  /** Watches a provider chain: its failovers are counted, its breakers reported (the latest chain per provider list). */
  watchChain(chain: ProviderChain): void {
    this.chains.set(chain.ids.join(','), chain);
  }

  /** The chain's log sink that counts failovers, passing each event on to `next`. */
  providerLog(next?: (event: ProviderLogEvent) => void): (event: ProviderLogEvent) => void {
    return (event) => {
      if (event.event === 'provider-failover' && event.to !== event.provider) this.failovers.inc({ provider: event.provider });
      next?.(event);
    };
  }
}
