/**
 * The queue's numbers on the server's /metrics, read from Redis when Prometheus scrapes:
 * `codex_flow_queue_jobs{alias,state}` (waiting, active, delayed, failed), `codex_flow_queue_workers`
 * (workers seen on any alias queue) and `codex_flow_queue_up` (1 when the read finished in time).
 * A scrape waits at most `timeoutMs` for Redis: a slow or gone Redis gives `up 0` and no job
 * series, never a stalled /metrics; while one read is still out, the next scrape starts none.
 * The project's config is read at each scrape, so a queue configured later shows up; without
 * a queue the gauges stay empty.
 *
 * @example
 * registerQueueMetrics(metrics.registry, { root, env: process.env });
 */
import { Gauge, type Registry } from 'prom-client';
import { loadConfig } from '../config/config.js';
import { resolveQueueOptions } from './options.js';
import { readQueueStats, type QueueStats } from './stats.js';

/** Prometheus's own scrape timeout is 10 s by default: the queue's part stays far inside it. */
export const SCRAPE_TIMEOUT_MS = 1_000;

export interface MetricsProject {
  root: string;
  env: Record<string, string | undefined>;
  configFile?: string;
}

type Reading = { configured: false } | { configured: true; stats: QueueStats | undefined };

export function registerQueueMetrics(registry: Registry, project: MetricsProject, timeoutMs = SCRAPE_TIMEOUT_MS): void {
  let outstanding = false;
  let scrape: { at: number; reading: Promise<Reading> } | undefined;
  const readOnce = async (): Promise<Reading> => {
    const loaded = await loadConfig(project.root, project.configFile);
    const { options } = resolveQueueOptions(loaded.config.queue, project.env);
    if (!options) return { configured: false };
    if (outstanding) return { configured: true, stats: undefined };
    outstanding = true;
    const read = readQueueStats(options).finally(() => {
      outstanding = false;
    });
    read.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const stats = await Promise.race([read.catch(() => undefined), late]);
    clearTimeout(timer);
    return { configured: true, stats };
  };
  // The gauges of one scrape share one read: they are collected one after the other.
  const reading = (): Promise<Reading> => {
    if (!scrape || Date.now() - scrape.at > timeoutMs) scrape = { at: Date.now(), reading: readOnce() };
    return scrape.reading;
  };
  new Gauge({
    name: 'codex_flow_queue_up',
    help: "1 when the queue's Redis answered within the scrape's bound, 0 when not (no series without a queue)",
    registers: [registry],
    async collect() {
      this.reset();
      const read = await reading();
      if (read.configured) this.set(read.stats ? 1 : 0);
    },
  });
  new Gauge({
    name: 'codex_flow_queue_jobs',
    help: 'Jobs in the queue per alias and state (waiting, active, delayed, failed)',
    labelNames: ['alias', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const read = await reading();
      if (!read.configured || !read.stats) return;
      for (const alias of read.stats.aliases)
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ alias: alias.alias, state }, alias[state]);
    },
  });
  new Gauge({
    name: 'codex_flow_queue_workers',
    help: 'Workers seen on any alias queue',
    registers: [registry],
    async collect() {
      this.reset();
      const read = await reading();
      if (read.configured && read.stats) this.set(read.stats.workers.length);
    },
  });
}
