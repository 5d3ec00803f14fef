/**
 * Reading tinybench results: a task's latency statistics, or undefined when it failed or was
 * aborted (tinybench's result type is a union; every suite needs the same narrowing).
 */
import type { Task } from 'tinybench';

export interface LatencyStats {
  p50: number;
  min: number;
  samples: number;
}

export function latencyOf(task: Task | undefined): LatencyStats | undefined {
  const latency = (task?.result as { latency?: { p50?: number; min: number; samplesCount?: number } } | undefined)?.latency;
  if (!latency || latency.p50 === undefined) return undefined;
  return { p50: latency.p50, min: latency.min, samples: latency.samplesCount ?? 0 };
}

/** Median latency in ms of the task named `name`, NaN when it has none. */
export function medianMs(tasks: readonly Task[], name: string): number {
  return latencyOf(tasks.find((task) => task.name === name))?.p50 ?? Number.NaN;
}
