/**
 * The shapes of the two fleet-level files `convert` writes next to the definitions. They are the
 * contract between the compiler (writer) and the router / runner (readers): bump
 * FLEET_FORMAT_VERSION on any incompatible change; readers refuse versions they do not know.
 */
import type { AgentDefinition } from '../schema/definition.js';

export const FLEET_FORMAT = 'codex-flow/fleet';
export const FLEET_FORMAT_VERSION = 1;
export const INDEX_FILE = 'index.json';
export const TRIGGERS_FILE = 'triggers.json';
export const DEFINITION_SUFFIX = '.codex.yaml';

export type Tier = AgentDefinition['agent']['classification']['tier'];

/** One agent's row in index.json. `description` is whole, never cut. */
export interface IndexEntry {
  id: string;
  name: string;
  domain: string;
  subdomain?: string;
  tier: Tier;
  description: string;
  autonomy_level: number;
  max_parallel_tasks: number;
  keywords: string[];
  /** Definition path relative to the fleet folder, forward slashes. */
  path: string;
  /** Brief path relative to the project root, forward slashes. */
  source: string;
  /** `sha256:` of the brief's bytes: compared with the brief on disk to detect a stale fleet. */
  hash: string;
}

export interface FleetIndex {
  format: typeof FLEET_FORMAT;
  format_version: number;
  schema_version: number;
  /** ISO time from SOURCE_DATE_EPOCH; absent without it, so a fresh compile's bytes depend on the briefs only. */
  generatedAt?: string;
  /** `sha256:` over every emitted definition and the compiler's format versions. */
  hash: string;
  /** Brief root relative to the project root, forward slashes. */
  source_root: string;
  agents: IndexEntry[];
}

/** What the router needs per agent without loading its definition. */
export interface RoutingAgentInfo {
  domain: string;
  subdomain?: string;
  tier: Tier;
  /** Prior quality in [0,1]: mean of capabilities.quality; the learning layer starts here. */
  prior: number;
  /** Languages and frameworks named by the agent, lower-case: used for domain affinity. */
  topics: string[];
}

export interface RegexEntry {
  pattern: string;
  priority: number;
  agents: string[];
}

/** The compiled routing table. Keys of every map are sorted; every agent list is sorted. */
export interface TriggerTable {
  format: typeof FLEET_FORMAT;
  format_version: number;
  /** Same value as FleetIndex.hash: a reader can check both files come from one compile. */
  hash: string;
  /** Lower-case keyword phrase → agent ids. */
  keywords: Record<string, string[]>;
  regex: RegexEntry[];
  /** Picomatch glob → agent ids. */
  file_patterns: Record<string, string[]>;
  agents: Record<string, RoutingAgentInfo>;
  /** Agents of the generalist tier, the fallback when nothing matches. */
  generalists: string[];
}
