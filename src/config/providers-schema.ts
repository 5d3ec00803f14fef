/**
 * The keys the `providers:` and `queue:` sections know, closed for the section registry
 * (sections.ts): an unknown key is a warning at its place with a did-you-mean hint. Their values
 * are their subsystems' to check (providers/providers-config.ts and tiers.ts, queue/options.ts):
 * a bad value is dropped there with a warning and the default applies, so the schemas only close
 * each mapping (as the runner's does) and no problem is reported twice.
 */
import { keysSchema, type KeyShape } from './runner-schema.js';

const DEFINITION: KeyShape = {
  kind: true,
  model: true,
  baseURL: true,
  apiKeyEnv: true,
  command: true,
  priceIn: true,
  priceOut: true,
  priceCached: true,
};

export const PROVIDERS_KEYS: KeyShape = {
  provider: true,
  fallback: true,
  budgetUsd: true,
  budgetWarnAt: true,
  requestTimeoutMs: true,
  stallTimeoutMs: true,
  backoffBaseMs: true,
  backoffCapMs: true,
  retryAfterCapMs: true,
  rounds: true,
  breaker: {
    windowMs: true,
    minRequests: true,
    failureThreshold: true,
    cooldownBaseMs: true,
    cooldownMaxMs: true,
    proactiveThreshold: true,
    proactiveHoldMs: true,
  },
  continueOnFallback: true,
  stateFile: true,
  definitions: { '*': DEFINITION },
  // Per provider id, model names to ids: any name on both levels.
  models: true,
  // Workloads and weights: tiers.ts reports an unknown one (CF7100, CF7103).
  tiers: true,
  tierChoice: true,
};

export const QUEUE_KEYS: KeyShape = { url: true, prefix: true, stall_ms: true, attempts: true, redis_grace_ms: true, fleets: true };

export const ProvidersConfigSchema = keysSchema(PROVIDERS_KEYS);
export const QueueConfigSchema = keysSchema(QUEUE_KEYS);
