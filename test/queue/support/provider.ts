/**
 * An OpenAI-wire model server for the queue tests that counts side effects: a response counts once
 * it was written whole to a client still connected; a request whose client died first (a worker
 * SIGKILLed mid-call) counts as aborted, not done. Each worker gets its own base URL
 * (`/w<n>/v1`), so the server can hold one worker's calls (`hold`) before the test kills it: its
 * tasks are then all mid-call, and none is half done. It also keeps the peak number of calls in
 * flight per alias (the task text starts with `<alias>:`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatOpenAI } from '../../support/provider-server-wire.js';

export interface CountingProvider {
  url: string;
  baseUrl(worker: number): string;
  /** Completed responses per task text. */
  completed: Map<string, number>;
  aborted: number;
  total(): number;
  /** Every call as it arrived: which worker made it, for which task. */
  calls: Array<{ worker: number; task: string }>;
  /** Completed responses per worker. */
  completedBy: Map<number, number>;
  /** Highest number of calls in flight per alias. */
  peak: Map<string, number>;
  hold(worker: number): void;
  close(): Promise<void>;
}

export async function startCountingProvider(latencyMs: number): Promise<CountingProvider> {
  const completed = new Map<string, number>();
  const peak = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const held = new Set<number>();
  const calls: Array<{ worker: number; task: string }> = [];
  const completedBy = new Map<number, number>();
  let aborted = 0;
  let done = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/w(\d+)\/v1\/chat\/completions$/.exec(req.url ?? '');
      if (!match) return void res.writeHead(404).end();
      const worker = Number(match[1]);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const user = [...body.messages].reverse().find((message: { role: string }) => message.role === 'user');
      const text =
        typeof user?.content === 'string'
          ? user.content
          : (user?.content?.map((part: { text?: string }) => part.text ?? '').join('') ?? '');
      const task = text.split('\n')[0]!;
      const alias = task.split(':')[0]!;
      calls.push({ worker, task });
      const now = (inFlight.get(alias) ?? 0) + 1;
      inFlight.set(alias, now);
      peak.set(alias, Math.max(peak.get(alias) ?? 0, now));
      let closed = false;
      const leave = () => inFlight.set(alias, (inFlight.get(alias) ?? 1) - 1);
      res.on('close', () => {
        if (!res.writableFinished && !closed) {
          closed = true;
          aborted++;
          leave();
        }
      });
      setTimeout(() => {
        if (held.has(worker) || res.destroyed) return; // held: answered never; the worker dies with the call open
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(formatOpenAI.json({ text: `done: ${task}`, usage: { input: 20, output: 5 } }, body)), () => {
          if (closed) return;
          closed = true;
          leave();
          done++;
          completed.set(task, (completed.get(task) ?? 0) + 1);
          completedBy.set(worker, (completedBy.get(worker) ?? 0) + 1);
        });
      }, latencyMs);
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: (worker) => `${url}/w${worker}/v1`,
    completed,
    calls,
    completedBy,
    get aborted() {
      return aborted;
    },
    total: () => done,
    peak,
    hold: (worker) => {
      held.add(worker);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
