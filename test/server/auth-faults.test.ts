/**
 * What a hostile or broken client gets from `codex-flow serve`: 401 without the token or with a
 * wrong one, a refused start on a public address without a token, 4xx with a diagnostic (never a
 * stack) for bad bodies and a 10 MB body, a slowloris client cut at the header timeout, and 1,000
 * connections at once shed past the connection cap; after each, the server still answers.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import { tokenDigest } from '../../src/server/auth.js';
import { call, makeProject, serve, type Started } from './support.js';

const TOKEN = 'test-token-0123456789';
let root: string;
let started: Started;
let url: string;

beforeAll(async () => {
  root = await makeProject();
  started = await serve(root, {
    env: { CODEX_FLOW_TOKENS: `other-token,${TOKEN}` },
    limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxConnections: 100 },
  });
  url = started.server.url;
});
afterAll(async () => {
  await started?.server.stop();
});

const ROUTE = { task: 'review this change before merge', record: false };

describe('serve: auth', () => {
  it('401 without a token and with a wrong one; 200 with a listed one; /healthz stays open', async () => {
    const none = await call(url, '/v1/route', { body: ROUTE });
    expect(none.status).toBe(401);
    expect(none.body.diagnostics[0].code).toBe('CF9502');
    expect((await call(url, '/v1/route', { body: ROUTE, token: `${TOKEN}x` })).status).toBe(401);
    expect((await call(url, '/readyz', { token: 'wrong' })).status).toBe(401);
    expect((await call(url, '/v1/route', { body: ROUTE, token: TOKEN })).status).toBe(200);
    expect((await call(url, '/healthz')).status).toBe(200);
  });

  it('refuses a non-loopback address without a token (CF9503), and takes sha256 digests from the config', async () => {
    const refused = await startServer({ root, env: {}, host: '0.0.0.0', port: 0, log: () => {} });
    expect(refused.server).toBeUndefined();
    expect(refused.diagnostics.map((entry) => entry.code)).toContain('CF9503');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(root, 'codex-flow.config.yaml'), `server:\n  tokens:\n    - ${tokenDigest('from-config')}\n    - plain-token\n`);
    const bad = await startServer({ root, env: {}, host: '127.0.0.1', port: 0, log: () => {} });
    expect(bad.diagnostics.map((entry) => entry.code)).toContain('CF9511');
    writeFileSync(join(root, 'codex-flow.config.yaml'), `server:\n  tokens:\n    - ${tokenDigest('from-config')}\n`);
    const good = await serve(root, { host: '127.0.0.1' });
    try {
      expect((await call(good.server.url, '/v1/agents', { token: 'from-config' })).status).toBe(200);
      expect((await call(good.server.url, '/v1/agents')).status).toBe(401);
    } finally {
      await good.server.stop();
    }
  });
});

describe('serve: bad input and greedy clients', () => {
  it('a malformed, mistyped or unknown-field body is a 400 with CF9500 and no stack trace', async () => {
    for (const request of [
      { raw: '{"task":' },
      { body: { task: 1 } },
      { body: { task: 'x', tpo: 3 } },
      { body: { top: 0, task: 'x' } },
      { body: {} },
    ]) {
      const { status, body } = await call(url, '/v1/route', { ...request, token: TOKEN });
      expect(status, JSON.stringify(request)).toBe(400);
      expect(body.diagnostics[0].code).toBe('CF9500');
      expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    }
  });

  it('a 10 MB body is refused with 413 (CF9501)', async () => {
    const { status, body } = await call(url, '/v1/route', { raw: JSON.stringify({ task: 'x'.repeat(10 * 1024 * 1024) }), token: TOKEN });
    expect(status).toBe(413);
    expect(body.diagnostics[0].code).toBe('CF9501');
    expect((await call(url, '/v1/route', { body: ROUTE, token: TOKEN })).status).toBe(200);
  });

  it('a slowloris client is cut at the header timeout while others are served', async () => {
    const { port } = started.server;
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('POST /v1/route HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    const closedAt = await new Promise<number>((resolve) => {
      const start = Date.now();
      socket.on('close', () => resolve(Date.now() - start));
      setTimeout(() => resolve(Number.POSITIVE_INFINITY), 8_000);
    });
    clearInterval(drip);
    socket.destroy();
    expect(closedAt).toBeLessThan(5_000);
    expect((await call(url, '/v1/route', { body: ROUTE, token: TOKEN })).status).toBe(200);
  });

  it('1,000 connections at once: those past the cap are shed, the server stays up and serves again', async () => {
    const { port } = started.server;
    const sockets: Socket[] = [];
    const outcomes = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<'served' | 'shed'>((resolve) => {
            const socket = connect(port, '127.0.0.1');
            sockets.push(socket);
            let data = '';
            const timer = setTimeout(() => resolve('shed'), 10_000);
            socket.on('connect', () => socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`));
            socket.on('data', (chunk) => {
              data += chunk;
              if (data.includes('"ok":true')) {
                clearTimeout(timer);
                resolve('served');
              }
            });
            socket.on('error', () => {
              clearTimeout(timer);
              resolve('shed');
            });
            socket.on('close', () => {
              clearTimeout(timer);
              resolve(data.includes('"ok":true') ? 'served' : 'shed');
            });
          }),
      ),
    );
    for (const socket of sockets) socket.destroy();
    const served = outcomes.filter((outcome) => outcome === 'served').length;
    expect(served).toBeGreaterThan(0);
    expect(outcomes.length - served).toBeGreaterThan(0);
    expect((await call(url, '/v1/route', { body: ROUTE, token: TOKEN })).status).toBe(200);
  });
});
