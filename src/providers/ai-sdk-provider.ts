/**
 * OpenAI, Anthropic, Ollama and OpenAI-compatible servers, all through the Vercel AI SDK:
 * `generateText` / `streamText` from `ai` over a model from the provider package (models.ts).
 * The SDK normalises wire formats, tool calls and usage; this adapter maps its results onto the
 * codex-flow interface and adds what failover needs:
 *
 * - `maxRetries: 0` — the failover chain owns every retry decision;
 * - a CallScope per call: request timeout, stall timeout between stream parts, caller abort;
 * - completeness: an `error` part, an `abort`, or a stream that ends without the provider's
 *   finish reason (the SDK reports such a stream as finishing with reason `other`) is an error,
 *   never a shorter answer;
 * - rate-limit headers from the response, for proactive switching.
 *
 * @example
 * const provider = new AiSdkProvider(settings, await createLanguageModel(settings), runtime);
 */
import {
  generateText,
  jsonSchema,
  streamText,
  type FinishReason as SdkFinishReason,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  type ToolSet,
} from 'ai';
import { CallScope } from './call-scope.js';
import { classifyError } from './classify.js';
import { ProviderError } from './errors.js';
import type { ProviderSettings } from './options.js';
import type { FinishReason, Message, Provider, ProviderRequest, ProviderResult, StreamEvent, ToolSpec, Usage } from './provider.js';
import { buildResult, estimateTokens, StreamTally, type ProviderRuntime } from './runtime.js';
import { renderTranscript } from './transcript.js';

/**
 * The AI SDK prints warnings (e.g. a setting a model ignores) with console.info/warn, i.e. partly
 * on stdout, which would corrupt `--json` output. Unless the host installed its own handler,
 * they go to stderr, one line each.
 */
const sdkGlobals = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
sdkGlobals.AI_SDK_LOG_WARNINGS ??= (options: {
  warnings: Array<{ type: string; feature?: string; details?: string; message?: string }>;
  provider: string;
  model: string;
}) => {
  for (const warning of options.warnings) {
    const text =
      warning.message ??
      `${warning.feature ?? warning.type} ${warning.type === 'unsupported' ? 'is not supported' : `(${warning.type})`}${warning.details ? `: ${warning.details}` : ''}`;
    process.stderr.write(`codex-flow: ${options.provider} ${options.model}: ${text}\n`);
  }
};

export class AiSdkProvider implements Provider {
  readonly id: string;
  readonly kind: ProviderSettings['kind'];
  readonly model: string;
  readonly supportsTools = true;

  /** Language models by id, for requests that name a model other than the provider's own. */
  private readonly otherModels = new Map<string, Promise<LanguageModel>>();

  constructor(
    private readonly settings: ProviderSettings,
    private readonly languageModel: LanguageModel,
    private readonly runtime: ProviderRuntime,
    private readonly modelFactory?: (model: string) => Promise<LanguageModel>,
  ) {
    this.id = settings.id;
    this.kind = settings.kind;
    this.model = settings.model;
  }

  /** The SDK model for the request's `model` (a concrete id, mapped by the chain), built once per id. */
  private languageModelFor(request: ProviderRequest): Promise<LanguageModel> | LanguageModel {
    const model = request.model;
    if (model === undefined || model === this.settings.model || !this.modelFactory) return this.languageModel;
    let built = this.otherModels.get(model);
    if (!built) this.otherModels.set(model, (built = this.modelFactory(model)));
    return built;
  }

  async generate(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResult> {
    const scope = CallScope.forCall(this.id, request, this.runtime, signal);
    const started = performance.now();
    let completed = false;
    try {
      const result = await generateText({ ...this.callOptions(request, await this.languageModelFor(request)), abortSignal: scope.signal });
      completed = true;
      return buildResult(this.settings, {
        model: result.response.modelId,
        requestedModel: request.model,
        text: result.text,
        toolCalls: result.toolCalls.map((call) => ({ id: call.toolCallId, name: call.toolName, input: call.input })),
        usage: usageOf(result.usage, request, result.text),
        finishReason: finishReasonOf(result.finishReason),
        ttftMs: null,
        totalMs: performance.now() - started,
        headers: result.response.headers,
      });
    } catch (error) {
      throw classifyError(error, { settings: this.settings, scope, streamStarted: false, redactor: this.runtime.redactor });
    } finally {
      scope.finish(completed);
    }
  }

  async *stream(request: ProviderRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const scope = CallScope.forStream(this.id, request, this.runtime, signal);
    const tally = new StreamTally(() => scope.contentArrived());
    let finish:
      | {
          usage: LanguageModelUsage;
          finishReason: SdkFinishReason;
          raw: string | undefined;
          headers?: Record<string, string>;
          model?: string;
        }
      | undefined;
    let completed = false;
    try {
      const result = streamText({
        ...this.callOptions(request, await this.languageModelFor(request)),
        abortSignal: scope.signal,
        onError: ignore,
      });
      for await (const part of result.fullStream) {
        scope.touch();
        switch (part.type) {
          case 'text-delta':
            yield tally.addText(part.text);
            break;
          case 'reasoning-delta':
            tally.mark();
            break;
          case 'tool-input-start':
            tally.mark();
            yield { type: 'tool-call-start', id: part.id, name: part.toolName };
            break;
          case 'tool-call':
            yield tally.addToolCall({ id: part.toolCallId, name: part.toolName, input: part.input });
            break;
          case 'finish-step':
            finish = {
              usage: part.usage,
              finishReason: part.finishReason,
              raw: part.rawFinishReason,
              headers: part.response.headers,
              model: part.response.modelId,
            };
            break;
          case 'error':
            throw part.error;
          case 'abort':
            throw scope.abortError() ?? new ProviderError('aborted', 'the call was cancelled', { provider: this.id });
        }
      }
      const abort = scope.abortError();
      if (abort) throw abort;
      if (!finish || (finish.raw === undefined && finish.finishReason === 'other')) {
        throw new ProviderError(
          'stream-cut',
          `the stream ended before ${this.id} said it was done (${tally.text.length} characters received)`,
          { provider: this.id },
        );
      }
      completed = true;
    } catch (error) {
      throw classifyError(error, { settings: this.settings, scope, streamStarted: tally.ttftMs !== null, redactor: this.runtime.redactor });
    } finally {
      scope.finish(completed);
    }
    yield {
      type: 'finish',
      result: buildResult(this.settings, {
        model: finish.model,
        requestedModel: request.model,
        text: tally.text,
        toolCalls: tally.toolCalls,
        usage: usageOf(finish.usage, request, tally.text),
        finishReason: finishReasonOf(finish.finishReason),
        ttftMs: tally.ttftMs,
        totalMs: tally.elapsedMs(),
        headers: finish.headers,
      }),
    };
  }

  private callOptions(request: ProviderRequest, model: LanguageModel) {
    return {
      model,
      system: request.system,
      messages: toModelMessages(request.messages),
      tools: request.tools && request.tools.length > 0 ? toToolSet(request.tools) : undefined,
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      maxRetries: 0,
    };
  }
}

function ignore(): void {}

/** codex-flow messages → AI SDK messages; consecutive tool results share one tool message. */
export function toModelMessages(messages: readonly Message[]): ModelMessage[] {
  const output: ModelMessage[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      output.push({ role: 'user', content: message.content });
    } else if (message.role === 'assistant') {
      output.push({
        role: 'assistant',
        content: [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...(message.toolCalls ?? []).map((call) => ({
            type: 'tool-call' as const,
            toolCallId: call.id,
            toolName: call.name,
            input: call.input,
          })),
        ],
      });
    } else {
      const value = message.result as never;
      const toolOutput =
        typeof message.result === 'string'
          ? { type: message.isError ? ('error-text' as const) : ('text' as const), value }
          : { type: message.isError ? ('error-json' as const) : ('json' as const), value };
      const part = { type: 'tool-result' as const, toolCallId: message.toolCallId, toolName: message.toolName, output: toolOutput };
      const last = output.at(-1);
      if (last?.role === 'tool') last.content.push(part);
      else output.push({ role: 'tool', content: [part] });
    }
  }
  return output;
}

/** Tools without `execute`: the SDK returns the calls and the caller (the runner) runs them. */
function toToolSet(tools: readonly ToolSpec[]): ToolSet {
  const set: ToolSet = {};
  for (const tool of tools) set[tool.name] = { description: tool.description, inputSchema: jsonSchema(tool.parameters as never) };
  return set;
}

/**
 * Tokens as reported. A server that reports none (a stream cut between its last token and its
 * usage frame, a compatible server without `include_usage`) gets an estimate, marked as such,
 * rather than zero: a zero would make the call free and let a budget overspend.
 */
function usageOf(usage: LanguageModelUsage, request: ProviderRequest, text: string): Usage {
  const cached = usage.inputTokenDetails?.cacheReadTokens ?? 0;
  if (usage.inputTokens !== undefined && usage.outputTokens !== undefined)
    return { input: usage.inputTokens, output: usage.outputTokens, cached };
  return {
    input: usage.inputTokens ?? estimateTokens(renderTranscript(request)),
    output: usage.outputTokens ?? estimateTokens(text),
    cached,
    estimated: true,
  };
}

function finishReasonOf(reason: SdkFinishReason): FinishReason {
  return reason === 'error' ? 'other' : reason;
}
