/**
 * A run's budget shared by every worker: the limit, what is spent and what calls in flight hold
 * live in one Redis hash, and a reservation is one Lua script (read, compare, add) — atomic, so
 * parallel workers cannot all pass a budget that fits one call. The model client of each task is
 * wrapped: reserve the call's estimate before it, settle with its real cost after, release on failure.
 * The same rule as the in-process Budget (src/providers/budget.ts), held in Redis.
 *
 * @example
 * const model = sharedBudget(redis, key, (request) => estimate(request)).wrap(chain);
 */
import type { Redis } from 'ioredis';
import type { ModelClient } from '../runner/agent-loop.js';
import type { ProviderRequest, StreamEvent } from '../providers/provider.js';
import { ProviderError } from '../providers/errors.js';
import { usd } from '../providers/budget.js';

/** Returns {1} when held, or {0, spent, reserved, limit} when the call would pass the limit. */
const RESERVE = `
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit'))
if not limit then return {1} end
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
local estimate = tonumber(ARGV[1])
if spent >= limit or spent + reserved + estimate > limit then return {0, tostring(spent), tostring(reserved), tostring(limit)} end
redis.call('HINCRBYFLOAT', KEYS[1], 'reserved', estimate)
return {1}`;

const SETTLE = `
redis.call('HINCRBYFLOAT', KEYS[1], 'reserved', -tonumber(ARGV[1]))
if tonumber(ARGV[2]) > 0 then redis.call('HINCRBYFLOAT', KEYS[1], 'spent', ARGV[2]) end
return 1`;

export interface SharedBudget {
  reserve(estimateUsd: number): Promise<{ settle(costUsd: number | null): Promise<void>; release(): Promise<void> }>;
  wrap(model: ModelClient): ModelClient;
}

export function sharedBudget(redis: Redis, key: string, estimate: (request: ProviderRequest) => number): SharedBudget {
  const reserve = async (estimateUsd: number) => {
    const held = Math.max(0, estimateUsd);
    const reply = (await redis.eval(RESERVE, 1, key, String(held))) as Array<number | string>;
    if (Number(reply[0]) !== 1) {
      const [, spent, reserved, limit] = reply.map(Number);
      throw new ProviderError(
        'budget',
        `budget of ${usd(limit!)} would be passed: ${usd(spent!)} spent, ${usd(reserved!)} held by calls in flight on all workers, and this call is estimated at ${usd(held)}; stopping with partial results`,
      );
    }
    let open = true;
    const end = async (costUsd: number | null) => {
      if (!open) return;
      open = false;
      await redis.eval(SETTLE, 1, key, String(held), String(costUsd ?? 0));
    };
    return { settle: end, release: () => end(null) };
  };
  return {
    reserve,
    wrap: (model) => ({
      async generate(request, signal) {
        const held = await reserve(estimate(request));
        try {
          const result = await model.generate(request, signal);
          await held.settle(result.costUsd);
          return result;
        } finally {
          await held.release();
        }
      },
      async *stream(request: ProviderRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
        const held = await reserve(estimate(request));
        try {
          for await (const event of model.stream(request, signal)) {
            if (event.type === 'finish') await held.settle(event.result.costUsd);
            yield event;
          }
        } finally {
          await held.release();
        }
      },
    }),
  };
}
