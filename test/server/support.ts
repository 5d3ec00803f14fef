/**
 * A project with a compiled fleet in a temp folder (the starter briefs of `init`), and a server on
 * it at 127.0.0.1 on a free port, stopped by the caller. Limits default to short timeouts so the
 * fault tests end in seconds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/serve.js';

export async function makeProject(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'cf-serve-'));
  for (const argv of [['init'], ['convert']]) {
    const io = memoryIO(root, {});
    expect(await main(argv, io), io.err()).toBe(0);
  }
  return root;
}

export interface Started {
  server: RunningServer;
  lines: string[];
}

export async function serve(root: string, options: Partial<ServeOptions> = {}): Promise<Started> {
  const lines: string[] = [];
  const started = await startServer({
    root,
    env: {},
    host: '127.0.0.1',
    port: 0,
    log: (line) => lines.push(line),
    drainMs: 5_000,
    limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, ...options.limits },
    ...options,
  });
  expect(started.diagnostics.filter((entry) => entry.severity === 'error')).toEqual([]);
  return { server: started.server!, lines };
}

/** A JSON request with a bound on its time. */
export async function call(
  url: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string; raw?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined && init.raw === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body !== undefined || init.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* text bodies: /metrics */
  }
  return { status: response.status, body, headers: response.headers };
}
