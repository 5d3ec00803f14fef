/**
 * Who may read and write which memory namespace, what is redacted on the way out, and how long an
 * entry lives — applied above the store, so both stores enforce the same rules.
 *
 * - An agent writes only to its own namespaces (`memory.namespaces`).
 * - It reads its own namespaces, and those of agents whose `sharing_policy.share_with` names it.
 * - Whenever an entry leaves its owner (read by another agent), every field whose name contains a
 *   `sharing_policy.redact` word (case-insensitive) is replaced, at any depth, and `word=value` /
 *   `word: value` in strings is masked. The owner's redact list is the one that applies.
 * - TTL: `retention.short_term` for ordinary entries, `retention.long_term` for those written as
 *   long-term.
 *
 * @example
 * const access = new MemoryAccess((id) => fleet.definition(id), fleet.index.agents.map((a) => a.id));
 * access.canRead('api-designer', 'agent/code-reviewer'); // false unless code-reviewer shares with it
 */
import type { AgentDefinition } from '../../schema/definition.js';

export const REDACTED = '[redacted]';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m` → 1 800 000; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

type MemorySection = AgentDefinition['memory'];

export class MemoryAccess {
  private sharedIndex: Map<string, string[]> | undefined;

  constructor(
    private readonly definitionOf: (id: string) => Pick<AgentDefinition, 'agent' | 'memory'> | undefined,
    private readonly ids: readonly string[],
  ) {}

  private memory(id: string): MemorySection | undefined {
    return this.definitionOf(id)?.memory;
  }

  /** Namespace → agents that declare it (built once, on first need). */
  private owners(): Map<string, string[]> {
    if (!this.sharedIndex) {
      this.sharedIndex = new Map();
      for (const id of this.ids) {
        for (const namespace of this.memory(id)?.namespaces ?? []) {
          const list = this.sharedIndex.get(namespace) ?? [];
          list.push(id);
          this.sharedIndex.set(namespace, list);
        }
      }
    }
    return this.sharedIndex;
  }

  ownsNamespace(agent: string, namespace: string): boolean {
    return this.memory(agent)?.namespaces.includes(namespace) ?? false;
  }

  canWrite(agent: string, namespace: string): boolean {
    return this.ownsNamespace(agent, namespace);
  }

  canRead(agent: string, namespace: string): boolean {
    if (this.ownsNamespace(agent, namespace)) return true;
    return (this.owners().get(namespace) ?? []).some((owner) => this.memory(owner)?.sharing_policy.share_with.includes(agent));
  }

  /** Every namespace the agent may read: its own first, then those shared with it, sorted. */
  readable(agent: string): string[] {
    const own = this.memory(agent)?.namespaces ?? [];
    const shared = [...this.owners().keys()].filter((namespace) => !own.includes(namespace) && this.canRead(agent, namespace)).sort();
    return [...own, ...shared];
  }

  /** The redact words that apply when `reader` reads `namespace` (none for an owner). */
  redactionFor(reader: string, namespace: string): string[] {
    if (this.ownsNamespace(reader, namespace)) return [];
    const words = new Set<string>();
    for (const owner of this.owners().get(namespace) ?? [])
      for (const word of this.memory(owner)?.sharing_policy.redact ?? []) words.add(word.toLowerCase());
    return [...words];
  }

  ttlMs(agent: string, term: 'short' | 'long'): number | null {
    const retention = this.memory(agent)?.retention;
    if (!retention) return null;
    return parseDuration(term === 'long' ? retention.long_term : retention.short_term) ?? null;
  }
}

/** A deep copy of `value` with redacted fields replaced; `words` are lower-case. */
export function redact(value: unknown, words: readonly string[]): unknown {
  if (words.length === 0) return value;
  if (typeof value === 'string') return redactText(value, words);
  if (Array.isArray(value)) return value.map((item) => redact(item, words));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const lower = key.toLowerCase();
      out[key] = words.some((word) => lower.includes(word)) ? REDACTED : redact(child, words);
    }
    return out;
  }
  return value;
}

function redactText(text: string, words: readonly string[]): string {
  let out = text;
  for (const word of words) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(\\b[\\w-]*${escaped}[\\w-]*["']?\\s*[:=]\\s*)("[^"]*"|'[^']*'|[^\\s,;}]+)`, 'gi'), `$1${REDACTED}`);
  }
  return out;
}
