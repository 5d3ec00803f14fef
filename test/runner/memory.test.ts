/**
 * Memory: one shared suite, run against the JSONL file store and against Redis (a private
 * redis-server on a free port), so both stores are proven to behave the same — storage, order,
 * TTL, deletes — and so is the policy above them: namespace isolation, share_with, redaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentMemory } from '../../src/runner/memory/agent-memory.js';
import { FileMemoryStore } from '../../src/runner/memory/file-store.js';
import { MemoryAccess, parseDuration, redact, REDACTED } from '../../src/runner/memory/policy.js';
import { RedisMemoryStore } from '../../src/runner/memory/redis-store.js';
import type { MemoryStore } from '../../src/runner/memory/store.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { agent, fleetOf } from '../support/runner-fixtures.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
let now = T0;
const clock = () => now;

const withoutRedis = skipWithout(redisServer, 'the Redis memory store suite');
let redis: TestRedis | undefined;
let dir: string;
beforeAll(async () => {
  if (!withoutRedis) redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'cf-memory-'));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const fleet = fleetOf(
  agent('alice', {
    memory: { retention: { short_term: '1h', long_term: '30d' }, sharing_policy: { share_with: ['bob'], redact: ['api_key', 'password'] } },
  }),
  agent('bob'),
  agent('carol'),
);
const access = new MemoryAccess(fleet.definition, fleet.ids);

type Factory = { name: string; open: () => Promise<MemoryStore> };
let fileRound = 0;
const stores: Factory[] = [
  { name: 'file', open: async () => new FileMemoryStore(join(dir, `round-${fileRound++}`), clock) },
  ...(withoutRedis
    ? []
    : [
        {
          name: 'redis',
          open: async () => {
            const admin = new Redis(redis!.url);
            await admin.flushdb();
            await admin.quit();
            return RedisMemoryStore.connect(redis!.url, clock);
          },
        },
      ]),
];

describe.each(stores)('$name store', ({ open }) => {
  let store: MemoryStore;
  beforeEach(async () => {
    now = T0;
    store = await open();
    return () => store.close();
  });

  const entry = (key: string, value: unknown, written_at = now, expires_at: number | null = null) => ({
    namespace: 'ns/a',
    key,
    value,
    written_at,
    expires_at,
    author: 'alice',
  });

  it('stores, overwrites and deletes entries', async () => {
    await store.put(entry('k', { v: 1 }));
    expect(await store.get('ns/a', 'k')).toMatchObject({ value: { v: 1 } });
    await store.put(entry('k', { v: 2 }, now + 1));
    expect(await store.get('ns/a', 'k')).toMatchObject({ value: { v: 2 } });
    expect(await store.list('ns/a', 10)).toHaveLength(1);
    await store.delete('ns/a', 'k');
    expect(await store.get('ns/a', 'k')).toBeUndefined();
    expect(await store.list('ns/a', 10)).toEqual([]);
  });

  it('lists newest first (ties by key, descending), up to the limit, per namespace', async () => {
    await store.put(entry('a', 1, T0 + 1));
    await store.put(entry('b', 2, T0 + 3));
    await store.put(entry('c', 3, T0 + 2));
    await store.put(entry('d', 4, T0 + 3));
    await store.put({ ...entry('z', 9), namespace: 'ns/other' });
    expect((await store.list('ns/a', 10)).map((e) => e.key)).toEqual(['d', 'b', 'c', 'a']);
    expect((await store.list('ns/a', 2)).map((e) => e.key)).toEqual(['d', 'b']);
    expect((await store.list('ns/other', 10)).map((e) => e.key)).toEqual(['z']);
  });

  it('expires entries by the store clock', async () => {
    await store.put(entry('short', 1, T0, T0 + 1000));
    await store.put(entry('forever', 2, T0, null));
    now = T0 + 999;
    expect((await store.list('ns/a', 10)).map((e) => e.key).sort()).toEqual(['forever', 'short']);
    now = T0 + 1000;
    expect(await store.get('ns/a', 'short')).toBeUndefined();
    expect((await store.list('ns/a', 10)).map((e) => e.key)).toEqual(['forever']);
  });

  describe('policy above the store', () => {
    it("an agent cannot read a namespace not shared with it, nor write another agent's", async () => {
      const alice = new AgentMemory(store, access, 'alice', clock);
      const carol = new AgentMemory(store, access, 'carol', clock);
      await alice.write('note', { text: 'for bob only' });
      expect(await carol.read('agent/alice', 10)).toEqual({ ok: false, reason: 'carol may not read memory namespace "agent/alice"' });
      expect((await carol.context(10)).text).not.toContain('for bob only');
      expect(await carol.write('x', 1, { namespace: 'agent/alice' })).toMatchObject({ ok: false });
      expect(await store.get('agent/alice', 'x')).toBeUndefined();
    });

    it('share_with lets the named agent read; redacted fields never leave the owner', async () => {
      const alice = new AgentMemory(store, access, 'alice', clock);
      const bob = new AgentMemory(store, access, 'bob', clock);
      await alice.write('creds', {
        api_key: 'sk-live-123',
        nested: { db_password: 'hunter2', host: 'db' },
        text: 'password=hunter2 then api_key: sk-live-123',
      });
      const own = await alice.read('agent/alice', 10);
      expect(own.ok && own.entries[0]!.value).toMatchObject({ api_key: 'sk-live-123' });
      const shared = await bob.read('agent/alice', 10);
      expect(shared.ok).toBe(true);
      const leaked = JSON.stringify(shared.ok && shared.entries);
      expect(leaked).not.toContain('sk-live-123');
      expect(leaked).not.toContain('hunter2');
      expect(shared.ok && shared.entries[0]!.value).toMatchObject({ api_key: REDACTED, nested: { db_password: REDACTED, host: 'db' } });
      const context = await bob.context(10);
      expect(context.namespaces).toEqual(['agent/bob', 'agent/alice']);
      expect(context.text).toContain('agent/alice');
      expect(context.text).not.toContain('hunter2');
    });

    it('entries live for retention.short_term (or long_term when asked)', async () => {
      const alice = new AgentMemory(store, access, 'alice', clock);
      await alice.write('brief', 1);
      await alice.write('lasting', 2, { term: 'long' });
      now = T0 + parseDuration('1h')!;
      expect((await alice.read('agent/alice', 10)).ok && (await store.list('agent/alice', 10)).map((e) => e.key)).toEqual(['lasting']);
      now = T0 + parseDuration('30d')!;
      expect(await store.list('agent/alice', 10)).toEqual([]);
    });
  });
});

describe('redact', () => {
  it('replaces matching keys at any depth and masks key=value in text; leaves the input alone', () => {
    const input = { Token: 'a', list: [{ secret_value: 'b' }], text: 'token="abc" ok' };
    expect(redact(input, ['token', 'secret'])).toEqual({
      Token: REDACTED,
      list: [{ secret_value: REDACTED }],
      text: `token=${REDACTED} ok`,
    });
    expect(input.Token).toBe('a');
  });
});
