/**
 * The fixture server's embedding endpoints: OpenAI `/v1/embeddings` (`{ data: [{ embedding,
 * index }], usage }`) and Ollama `/api/embed` (`{ embeddings: [[…]] }`). Vectors are
 * deterministic from the text: each word hashed into one of FIXTURE_DIMENSIONS buckets, so texts
 * sharing words point the same way. A test fixture, never a product path.
 */
import { createHash } from 'node:crypto';
import type { Script, Wire } from './provider-server.js';

export const FIXTURE_DIMENSIONS = 16;

/** The vector the fixture server answers for `text`. */
export function fixtureVector(text: string): number[] {
  const vector = new Array<number>(FIXTURE_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    vector[createHash('sha256').update(word).digest()[0]! % FIXTURE_DIMENSIONS]! += 1;
  }
  return vector;
}

function inputsOf(body: any): string[] {
  const input = body.input;
  return Array.isArray(input) ? input.map(String) : [String(input ?? '')];
}

/** The JSON body for an embedding request on `wire`; `script.vectors` replaces the computed ones. */
export function embeddingBody(wire: Wire, body: any, script: Script): unknown {
  const inputs = inputsOf(body);
  const vectors = script.vectors ?? inputs.map(fixtureVector);
  const tokens = inputs.reduce((sum, text) => sum + text.split(/\s+/).filter(Boolean).length, 0);
  if (wire === 'ollama') return { model: body.model, embeddings: vectors, total_duration: 1, load_duration: 0, prompt_eval_count: tokens };
  return {
    object: 'list',
    model: script.model ?? body.model,
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
