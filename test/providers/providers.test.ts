/**
 * Each provider's happy path, streamed and not, and a tool-call round trip — the real client
 * libraries against the fixture server's real wire formats.
 */
import { describe, expect, it } from 'vitest';
import type { Message, ProviderRequest, StreamEvent, ToolSpec } from '../../src/providers/provider.js';
import type { Wire } from '../support/provider-server.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { TEST_KEYS, drain, testChain, textsOf } from '../support/provider-env.js';

const server = useProviderServer();

const CASES: Array<{ provider: string; wire: Wire; model: string; cachedReported: boolean; priced: boolean }> = [
  { provider: 'openai', wire: 'openai', model: 'gpt-4.1-mini', cachedReported: true, priced: true },
  { provider: 'anthropic', wire: 'anthropic', model: 'claude-sonnet-4-5', cachedReported: true, priced: true },
  { provider: 'ollama', wire: 'ollama', model: 'llama3.2', cachedReported: false, priced: true },
  { provider: 'compatible', wire: 'openai', model: 'qwen2.5-coder', cachedReported: true, priced: false },
  { provider: 'http', wire: 'http', model: 'served-model', cachedReported: true, priced: false },
];

const WEATHER: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const ask = (content: string): ProviderRequest => ({ system: 'Be brief.', messages: [{ role: 'user', content }] });

describe.each(CASES)('$provider', ({ provider, wire, model, cachedReported, priced }) => {
  it('generates text with usage and cost', async () => {
    server.enqueue(wire, { text: 'Hello there, world', usage: { input: 40, output: 4, cached: 10 } });
    const { chain } = testChain(server, { provider });
    const result = await chain.generate(ask('Say hello'));
    expect(result.text).toBe('Hello there, world');
    expect(result.provider).toBe(provider);
    expect(result.model).toBe(model);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ input: 40, output: 4, cached: cachedReported ? 10 : 0 });
    expect(result.timings.ttftMs).toBeNull();
    if (priced) expect(result.costUsd).toBeGreaterThanOrEqual(0);
    else expect(result.costUsd).toBeNull();
    const request = server.requests.at(-1)!;
    expect(JSON.stringify(request.body)).toContain('Say hello');
    expect(JSON.stringify(request.body)).toContain('Be brief.');
  });

  it('streams text chunk by chunk and finishes once', async () => {
    server.enqueue(wire, { text: 'one two three four', chunkIntervalMs: 2 });
    const { chain } = testChain(server, { provider });
    const events = await drain(chain.stream(ask('Count')));
    const texts = textsOf(events);
    expect(texts).toEqual(['one', ' two', ' three', ' four']);
    const finishes = events.filter((e) => e.type === 'finish');
    expect(finishes).toHaveLength(1);
    expect(events.at(-1)!.type).toBe('finish');
    const result = (finishes[0] as Extract<StreamEvent, { type: 'finish' }>).result;
    expect(result.text).toBe('one two three four');
    expect(result.usage.output).toBe(4);
    expect(result.timings.ttftMs).toBeGreaterThan(0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.ttftMs!);
  });

  it.each([false, true])('round-trips a tool call (streamed: %s)', async (streamed) => {
    server.enqueue(wire, { text: 'Let me check.', toolCalls: [{ id: 'call_7', name: 'get_weather', input: { city: 'Paris' } }] });
    server.enqueue(wire, (request) => {
      const body = JSON.stringify(request.body);
      return { text: body.includes('18') && body.includes('sunny') ? 'It is 18 °C and sunny in Paris.' : 'no tool result seen' };
    });
    const { chain } = testChain(server, { provider });
    const request: ProviderRequest = { messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [WEATHER] };
    const first = streamed ? finishOf(await drain(chain.stream(request))) : await chain.generate(request);
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls).toHaveLength(1);
    expect(first.toolCalls[0]).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    const sentTools = JSON.stringify(server.requests[0]!.body);
    expect(sentTools).toContain('get_weather');
    expect(sentTools).toContain('Current weather for a city');

    const call = first.toolCalls[0]!;
    const followUp: Message[] = [
      ...request.messages,
      { role: 'assistant', content: first.text, toolCalls: [call] },
      { role: 'tool', toolCallId: call.id, toolName: call.name, result: { temperatureC: 18, sky: 'sunny' } },
    ];
    const second = streamed
      ? finishOf(await drain(chain.stream({ ...request, messages: followUp })))
      : await chain.generate({ ...request, messages: followUp });
    expect(second.text).toBe('It is 18 °C and sunny in Paris.');
    expect(second.finishReason).toBe('stop');
  });
});

function finishOf(events: StreamEvent[]) {
  const finish = events.find((e) => e.type === 'finish');
  if (!finish || finish.type !== 'finish') throw new Error(`no finish event in ${events.map((e) => e.type).join(', ')}`);
  return finish.result;
}

describe('credentials on the wire', () => {
  it('sends each provider its own key in its own header', async () => {
    for (const provider of ['openai', 'anthropic', 'http']) {
      const { chain } = testChain(server, { provider });
      await chain.generate(ask('hi'));
    }
    const [openai, anthropic, http] = server.requests;
    expect(openai!.headers.authorization).toBe(`Bearer ${TEST_KEYS.openai}`);
    expect(anthropic!.headers['x-api-key']).toBe(TEST_KEYS.anthropic);
    expect(anthropic!.headers['anthropic-version']).toBeDefined();
    expect(http!.headers.authorization).toBe(`Bearer ${TEST_KEYS.http}`);
  });

  it('asks OpenAI streams for usage and Ollama for its native stream', async () => {
    for (const provider of ['openai', 'ollama']) {
      const { chain } = testChain(server, { provider });
      await drain(chain.stream(ask('hi')));
    }
    const [openai, ollama] = server.requests;
    expect(openai!.body.stream_options).toEqual({ include_usage: true });
    expect(ollama!.path).toBe('/ollama/api/chat');
    expect(ollama!.body.stream).toBe(true);
  });
});
