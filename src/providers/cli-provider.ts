/**
 * A model behind a command of the user's: `CODEX_FLOW_CLI_CMD="llm -m gpt-4o-mini"` or
 * `CODEX_FLOW_CLI_CMD="my-model --prompt {prompt}"`. The prompt goes on stdin, or into the
 * argument holding `{prompt}`; stdout is the answer, streamed as it arrives. A `{model}` word
 * receives the model mapped from the brief's `model:` (model-map.ts), else CODEX_FLOW_CLI_MODEL.
 *
 * - No shell: the template is split into words (command-template.ts) and run directly, so a
 *   prompt can never be interpreted as shell syntax.
 * - The child runs in its own process group (`detached`). A timeout, a stall, a cancelled call or
 *   a consumer that stops reading kills the whole group — the command and anything it spawned —
 *   with SIGTERM, then SIGKILL after a grace period.
 * - A non-zero exit is a `server` error (retryable) with the tail of stderr; a command that does
 *   not exist is a `request` error naming CODEX_FLOW_CLI_CMD. Tools are not supported.
 * - Usage is estimated from characters (marked `estimated`).
 *
 * @example
 * const provider = new CliProvider(settings, env, runtime);
 * for await (const event of provider.stream({ messages: [{ role: 'user', content: 'hi' }] })) …
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { CallScope } from './call-scope.js';
import { PROMPT_PLACEHOLDER, splitCommand } from './command-template.js';
import { ProviderError } from './errors.js';
import { isProgrammingError } from './faults.js';
import type { ProviderSettings } from './options.js';
import type { Provider, ProviderRequest, ProviderResult, StreamEvent } from './provider.js';
import { buildResult, estimateTokens, StreamTally, type ProviderRuntime } from './runtime.js';
import { collectStream, renderTranscript } from './transcript.js';
import { MODEL_PLACEHOLDER } from './model-map.js';

/** Between SIGTERM and SIGKILL: time for a well-behaved CLI to flush and exit. */
const KILL_GRACE_MS = 2_000;
/** Enough stderr to explain a failure without flooding the error message. */
const STDERR_TAIL_CHARS = 500;

export class CliProvider implements Provider {
  readonly id: string;
  readonly kind = 'cli' as const;
  readonly model: string;
  readonly supportsTools = false;
  private readonly argv: string[];

  constructor(
    private readonly settings: ProviderSettings,
    private readonly env: Record<string, string | undefined>,
    private readonly runtime: ProviderRuntime,
  ) {
    this.id = settings.id;
    this.model = settings.model;
    this.argv = splitCommand(settings.command ?? '');
  }

  generate(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResult> {
    return collectStream(this.stream(request, signal));
  }

  async *stream(request: ProviderRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    if (request.tools && request.tools.length > 0) {
      throw new ProviderError('unsupported', 'the CLI provider cannot call tools', { provider: this.id });
    }
    if (this.argv.length === 0) {
      throw new ProviderError('request', 'CODEX_FLOW_CLI_CMD is empty', {
        provider: this.id,
        hint: 'set CODEX_FLOW_CLI_CMD to the command that answers a prompt',
      });
    }
    const prompt = renderTranscript(request);
    const inArgument = this.argv.some((word) => word.includes(PROMPT_PLACEHOLDER));
    // The model first: a prompt that contains `{model}` stays as written.
    const model = request.model ?? this.settings.model;
    const [command, ...args] = this.argv.map((word) => word.split(MODEL_PLACEHOLDER).join(model).split(PROMPT_PLACEHOLDER).join(prompt));
    const scope = CallScope.forStream(this.id, request, this.runtime, signal);
    const tally = new StreamTally(() => scope.contentArrived());
    const child = spawn(command!, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: this.env as NodeJS.ProcessEnv });
    const exited = waitForExit(child);
    const stopChild = () => killGroup(child);
    scope.signal.addEventListener('abort', stopChild, { once: true });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.stdin!.on('error', () => {}); // a command that ignores stdin may close it early
    child.stdin!.end(inArgument ? undefined : prompt);

    const decoder = new StringDecoder('utf8');
    let completed = false;
    try {
      for await (const chunk of child.stdout!) {
        scope.touch();
        const piece = decoder.write(chunk as Buffer);
        if (piece !== '') yield tally.addText(piece);
      }
      const tail = decoder.end();
      if (tail) yield tally.addText(tail);
      const exit = await exited;
      const abort = scope.abortError();
      if (abort) throw abort;
      if (exit.error) throw this.spawnError(exit.error, command!);
      if (exit.code !== 0) {
        const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        throw new ProviderError('server', this.runtime.redactor.text(`${command} ${how}${stderr.trim() ? `: ${stderr.trim()}` : ''}`), {
          provider: this.id,
        });
      }
      completed = true;
    } catch (error) {
      if (isProgrammingError(error)) throw error;
      throw error instanceof ProviderError
        ? error
        : (scope.abortError() ?? new ProviderError('stream-cut', this.runtime.redactor.text(String(error)), { provider: this.id }));
    } finally {
      scope.signal.removeEventListener('abort', stopChild);
      scope.finish(completed);
      if (!completed) killGroup(child);
    }
    const usage = { input: estimateTokens(prompt), output: estimateTokens(tally.text), cached: 0, estimated: true };
    yield {
      type: 'finish',
      result: buildResult(this.settings, {
        requestedModel: request.model,
        text: tally.text,
        toolCalls: [],
        usage,
        finishReason: 'stop',
        ttftMs: tally.ttftMs,
        totalMs: tally.elapsedMs(),
      }),
    };
  }

  private spawnError(error: NodeJS.ErrnoException, command: string): ProviderError {
    if (error.code === 'ENOENT' || error.code === 'EACCES') {
      return new ProviderError('request', `cannot run ${command}: ${error.code}`, {
        provider: this.id,
        hint: 'CODEX_FLOW_CLI_CMD must start with a command on PATH (or an absolute path) that you can execute',
      });
    }
    return new ProviderError('server', `cannot run ${command}: ${error.message}`, { provider: this.id });
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
}

function waitForExit(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

/** SIGTERM to the whole group now, SIGKILL after the grace period for anything that ignored it. */
export function killGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone
    }
  };
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS).unref();
}
