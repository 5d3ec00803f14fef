/**
 * The queue for a run, when one is configured: `queue.url` or CODEX_FLOW_QUEUE_URL. Called by
 * `openRunContext` (src/project/open-run.ts), the one entry point of `run` and `swarm`; without a URL
 * it returns nothing and the run uses the in-process scheduler.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { resolveQueueOptions } from './options.js';
import { QueueDispatch } from './dispatch.js';
import { QueueUnreachableError } from './connection.js';

export interface QueueRunRequest {
  section: Record<string, unknown> | undefined;
  env: Record<string, string | undefined>;
  root: string;
  fleetHash: string;
  fleetDir: string;
  budgetUsd?: number;
}

export async function openQueueDispatch(
  request: QueueRunRequest,
): Promise<{ dispatch?: QueueDispatch; diagnostics: Diagnostic[]; failed: boolean }> {
  const { options, diagnostics } = resolveQueueOptions(request.section, request.env);
  if (!options) return { diagnostics, failed: diagnostics.some((entry) => entry.severity === 'error') };
  if (options.fleets && !options.fleets.startsWith('/')) options.fleets = `${request.root}/${options.fleets}`;
  try {
    const dispatch = await QueueDispatch.open({
      options,
      fleetHash: request.fleetHash,
      fleetDir: request.fleetDir,
      ...(request.budgetUsd !== undefined ? { budgetUsd: request.budgetUsd } : {}),
    });
    return { dispatch, diagnostics, failed: false };
  } catch (error) {
    if (!(error instanceof QueueUnreachableError)) throw error;
    diagnostics.push(diagnostic('CF8501', error.message));
    return { diagnostics, failed: true };
  }
}
