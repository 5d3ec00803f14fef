import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisWatch } from '../../src/queue/redis-watch.js';

describe('RedisWatch', () => {
  it('reports an outage and the recovery', () => {
    const redis = new EventEmitter();
    const seen: string[] = [];
    const watch = new RedisWatch(redis as unknown as Redis, 60_000, 'redis://127.0.0.1:1', (state) => seen.push(state));
    redis.emit('close');
    redis.emit('ready');
    watch.close();
    expect(seen).toEqual(['down', 'up']);
  });

  it('says nothing of the connection it closes itself after a clean stop (no false "lost Redis")', () => {
    const redis = new EventEmitter();
    const seen: string[] = [];
    const watch = new RedisWatch(redis as unknown as Redis, 60_000, 'redis://127.0.0.1:1', (state) => seen.push(state));
    watch.close();
    redis.emit('close');
    expect(seen).toEqual([]);
    expect(watch.gone).toBeUndefined();
  });
});
