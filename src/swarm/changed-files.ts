/**
 * Which files each subtask changed, seen from the model's side of the runner: every model turn
 * resends the conversation, so a turn's messages hold the earlier write calls (`Write`, `Edit`,
 * `MultiEdit`, `NotebookEdit`) together with their tool results. A call counts when its result
 * came back without an error — the runner's tools (policy, workspace confinement) did the write.
 * The subtask is told apart by the first line of its context, which the swarm writes
 * (`subtaskMarker`). A write in a subtask's very last turn (one that hit max steps) is not seen.
 *
 * @example
 * const tracker = new ChangedFiles();
 * const runner = await Runner.create({ ...init, model: tracker.wrap(init.model) });
 * tracker.of('s1'); // ['src/api/limit.ts']
 */
import type { ModelClient } from '../runner/agent-loop.js';
import type { Message, ProviderRequest, StreamEvent } from '../providers/provider.js';

/** Tools whose successful call changes the file named by `file_path` (or `notebook_path`). */
const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const MARKER = /^Swarm subtask (\S+) of swarm (\S+)\./m;

/** The line that opens a subtask's context: it names the subtask for the tracker and for people. */
export function subtaskMarker(id: string, swarmId: string): string {
  return `Swarm subtask ${id} of swarm ${swarmId}.`;
}

export class ChangedFiles {
  private readonly files = new Map<string, Set<string>>();

  of(id: string): string[] {
    return [...(this.files.get(id) ?? [])].sort();
  }

  /** A model client that records writes before passing each call on unchanged. */
  wrap(model: ModelClient): ModelClient {
    return {
      generate: (request, signal) => {
        this.observe(request);
        return model.generate(request, signal);
      },
      stream: (request, signal): AsyncIterable<StreamEvent> => {
        this.observe(request);
        return model.stream(request, signal);
      },
    };
  }

  private observe(request: ProviderRequest): void {
    const first = request.messages[0];
    const id = first?.role === 'user' ? MARKER.exec(first.content)?.[1] : undefined;
    if (id === undefined) return;
    for (const path of successfulWrites(request.messages)) {
      let set = this.files.get(id);
      if (!set) this.files.set(id, (set = new Set()));
      set.add(path);
    }
  }
}

function successfulWrites(messages: readonly Message[]): string[] {
  const ok = new Set<string>();
  for (const message of messages) if (message.role === 'tool' && !message.isError) ok.add(message.toolCallId);
  const paths: string[] = [];
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls ?? []) {
      if (!WRITE_TOOLS.has(call.name) || !ok.has(call.id)) continue;
      const input = call.input as { file_path?: unknown; notebook_path?: unknown } | null;
      const path = input?.file_path ?? input?.notebook_path;
      if (typeof path === 'string' && path !== '') paths.push(path);
    }
  }
  return paths;
}
