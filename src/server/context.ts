/**
 * What every handler of the server shares: the served fleet (its holder swaps it on reload), the
 * tokens, the metrics, the project it serves, and the answers in the one error shape (a
 * diagnostic, never a stack trace).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { ServedFleet } from '../project/served-fleet.js';
import type { FleetHolder } from '../project/watch-served-fleet.js';
import type { ServerTokens } from './auth.js';
import type { JobStore } from './jobs.js';
import type { ServerMetrics } from './metrics.js';

/** The header naming the fleet a response was computed on. */
export const FLEET_HEADER = 'x-codex-flow-fleet';

export interface ServerContext {
  holder: FleetHolder;
  tokens: ServerTokens;
  metrics: ServerMetrics;
  jobs: JobStore;
  root: string;
  env: Record<string, string | undefined>;
  configFile?: string;
  fleetDir?: string;
  /** One line for the server's log (stderr by default). */
  log: (line: string) => void;
  /** Set once shutdown begins: new runs and swarms are refused. */
  draining: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The fleet this request runs on, taken once when it arrives. */
    served: ServedFleet | undefined;
  }
}

/** The fleet the request arrived on, or a 503 with CF9504 when none is loaded. */
export function servedFleet(request: FastifyRequest, reply: FastifyReply, context: ServerContext): ServedFleet | undefined {
  if (request.served) return request.served;
  void failWith(reply, 503, [...context.holder.pending, diagnostic('CF9504', 'no fleet is loaded')]);
  return undefined;
}

/** Sends the error shape: `{ ok: false, diagnostics }` with the status. */
export function failWith(reply: FastifyReply, status: number, diagnostics: Diagnostic[]): FastifyReply {
  const served = reply.request.served;
  return reply.code(status).send({ ok: false, ...(served ? { fleet_hash: served.hash } : {}), diagnostics });
}

/** One diagnostic as the error answer. */
export function fail(reply: FastifyReply, status: number, code: DiagnosticCode, message: string): FastifyReply {
  return failWith(reply, status, [diagnostic(code, message)]);
}
