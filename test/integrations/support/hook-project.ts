/**
 * A user's project for the hook tests: the sample fleet compiled into a temp folder, the hook's
 * stdin for a prompt typed there, a `route --json` body made by the real CLI in-process (what a
 * server or the CLI child answers), and a fixture route server on 127.0.0.1 that answers it,
 * stalls, or refuses.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';

const root = join(import.meta.dirname, '../../..');

export function sampleProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'cf-hook-'));
  cpSync(join(root, 'codex/agents'), join(project, 'codex/agents'), { recursive: true });
  return project;
}

export const removeProject = (project: string) => rmSync(project, { recursive: true, force: true });

export const hookStdin = (prompt: string, cwd: string) =>
  JSON.stringify({
    session_id: 'session-1',
    transcript_path: join(cwd, 'transcript.jsonl'),
    cwd,
    permission_mode: 'default',
    hook_event_name: 'UserPromptSubmit',
    prompt,
  });

/** The `route --json` body of `task` in `project`, from the real CLI code. */
export async function routeBody(project: string, task: string): Promise<string> {
  const io = memoryIO(project, {});
  const code = await main(['route', '--json', '--no-record', '--explore', 'off', '--top', '3', '--', task], io);
  if (code !== 0) throw new Error(`route exited ${code}: ${io.err()}${io.out()}`);
  return io.out();
}

/** A node program that prints `body` as the CLI child would (writes the script next to the project). */
export function printingCli(project: string, body: string): string[] {
  const script = join(project, 'print-route.cjs');
  writeFileSync(join(project, 'route-body.json'), body);
  writeFileSync(script, `process.stdout.write(require('node:fs').readFileSync(${JSON.stringify(join(project, 'route-body.json'))}));\n`);
  return [process.execPath, script];
}

export interface RouteServer {
  url: string;
  requests: Array<{ authorization?: string; body: unknown }>;
  close: () => Promise<void>;
}

/** A route server: `answer` gives status and body per request, or undefined to never answer. */
export async function routeServer(answer: () => { status: number; body: string } | undefined): Promise<RouteServer> {
  const requests: RouteServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const reply = answer();
      if (!reply) return; // stalls: the client's timeout ends it
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
