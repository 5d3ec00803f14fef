/**
 * Hot reload under load: brief edits recompile and swap the served fleet while route requests keep
 * coming; no request fails, each names one fleet in its header and body, every named fleet is one
 * the server loaded whole, and answers under one hash never differ (no mix of two fleets). A
 * broken brief keeps the last fleet serving and shows on /readyz. Stopping finishes in-flight routes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeProject, serve, type Started } from './support.js';

let root: string;
let started: Started;
let url: string;
const BRIEF = '.claude/agents/quality/code-reviewer.md';

beforeAll(async () => {
  root = await makeProject();
  started = await serve(root, { watch: true });
  url = started.server.url;
  // The start compile runs on the compile thread after the server answers; an edit waits behind
  // it, and under the sources (tsx in the thread) on a loaded machine it takes seconds.
  const deadline = Date.now() + 90_000;
  while (started.server.context.holder.compiles < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(started.server.context.holder.compiles).toBeGreaterThanOrEqual(1);
}, 120_000);
afterAll(async () => {
  await started?.server.stop();
});

/** Waits (bounded) until the served fleet's hash is not `hash`. */
async function nextFleet(hash: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const current = started.server.context.holder.current?.hash;
    if (current && current !== hash) return current;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the fleet did not reload from ${hash}`);
}

describe('serve --watch', () => {
  it('reloads brief edits during load: zero failures, every answer from one complete fleet', async () => {
    const loaded = new Set([started.server.context.holder.current!.hash]);
    const answers = new Map<string, string>();
    const failures: string[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        const { status, body, headers } = await call(url, '/v1/route', {
          body: { task: 'review the GraphQL resolver change', record: false, explore: false },
        });
        if (status !== 200 || headers.get('x-codex-flow-fleet') !== body.fleet_hash) {
          failures.push(`${status} ${JSON.stringify(body).slice(0, 200)}`);
          continue;
        }
        const answer = JSON.stringify(body.result.candidates.map((c: { id: string; score: number }) => [c.id, c.score]));
        const before = answers.get(body.fleet_hash);
        if (before !== undefined && before !== answer) failures.push(`two answers under ${body.fleet_hash}`);
        answers.set(body.fleet_hash, answer);
      }
    };
    const clients = Array.from({ length: 6 }, client);
    const original = readFileSync(join(root, BRIEF), 'utf8');
    for (let edit = 1; edit <= 3; edit++) {
      const hash = started.server.context.holder.current!.hash;
      writeFileSync(join(root, BRIEF), original.replace('description: ', `description: Reviews GraphQL resolvers (edit ${edit}). `));
      loaded.add(await nextFleet(hash));
    }
    running = false;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(started.server.context.holder.reloads).toBeGreaterThanOrEqual(3);
    for (const hash of answers.keys()) expect(loaded).toContain(hash);
    expect(answers.size).toBeGreaterThanOrEqual(2);
  });

  it('a broken brief keeps the last fleet serving and shows its diagnostic on /readyz', async () => {
    const hash = started.server.context.holder.current!.hash;
    writeFileSync(join(root, '.claude/agents/general/broken.md'), '---\nname: [broken\n---\nbody\n');
    const deadline = Date.now() + 20_000;
    let ready = await call(url, '/readyz');
    while (ready.body.diagnostics.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await call(url, '/readyz');
    }
    expect(ready.body.fleet_hash).toBe(hash);
    expect(ready.body.diagnostics.map((entry: { code: string }) => entry.code)).toEqual(expect.arrayContaining(['CF9505', 'CF1110']));
    expect(ready.body.diagnostics.find((entry: { code: string }) => entry.code === 'CF1110').location.file).toBe(
      '.claude/agents/general/broken.md',
    );
    const routed = await call(url, '/v1/route', { body: { task: 'review this', record: false } });
    expect(routed.status).toBe(200);
    expect(routed.body.fleet_hash).toBe(hash);
    expect(started.lines.join('\n')).toMatch(/broken\.md:2:\d+: CF1110/);
  });

  it('stop() lets in-flight routes finish, then refuses new connections', async () => {
    const body = JSON.stringify({ task: 'review this change', record: false });
    // Requests in flight when the stop begins: headers and all but the last byte of the body sent.
    const sockets = await Promise.all(
      Array.from(
        { length: 10 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(started.server.port, '127.0.0.1', () => {
              socket.write(
                `POST /v1/route HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, -1)}`,
              );
              resolve(socket);
            });
          }),
      ),
    );
    const answers = sockets.map(
      (socket) =>
        new Promise<string>((resolve) => {
          let data = '';
          socket.on('data', (chunk) => {
            data += chunk;
          });
          socket.on('close', () => resolve(data));
          socket.on('error', () => resolve(data));
          setTimeout(() => resolve(data), 10_000);
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = started.server.stop();
    for (const socket of sockets) socket.end(body.slice(-1));
    const statuses = (await Promise.all(answers)).map((data) => data.split(' ')[1]);
    await stopped;
    expect(statuses).toEqual(Array.from({ length: 10 }, () => '200'));
    await expect(call(url, '/healthz')).rejects.toThrow();
  });
});
