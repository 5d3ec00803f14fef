/**
 * Helpers for providers that are not chat APIs: a request flattened into one prompt text, and a
 * stream collected into one result (a provider's `generate` written in terms of its `stream`).
 */
import { ProviderError } from './errors.js';
import type { ProviderRequest, ProviderResult, StreamEvent } from './provider.js';

/**
 * A single user message is sent as is; anything longer becomes a labelled transcript.
 *
 * @example renderTranscript({ messages: [{ role: 'user', content: 'hi' }] }) === 'hi'
 */
export function renderTranscript(request: ProviderRequest): string {
  const [only] = request.messages;
  if (!request.system && request.messages.length === 1 && only?.role === 'user') return only.content;
  const sections: string[] = [];
  if (request.system) sections.push(`System:\n${request.system}`);
  for (const message of request.messages) {
    if (message.role === 'user') sections.push(`User:\n${message.content}`);
    else if (message.role === 'assistant') sections.push(`Assistant:\n${message.content}`);
    else
      sections.push(
        `Tool result (${message.toolName}):\n${typeof message.result === 'string' ? message.result : JSON.stringify(message.result)}`,
      );
  }
  return sections.join('\n\n');
}

/** Drains a provider stream and returns its final result. */
export async function collectStream(events: AsyncIterable<StreamEvent>): Promise<ProviderResult> {
  for await (const event of events) {
    if (event.type === 'finish') return event.result;
    if (event.type === 'incomplete') throw event.error;
  }
  throw new ProviderError('stream-cut', 'the stream ended without a result');
}
