/**
 * One fixture provider server per test file: started before the file's tests, reset before each
 * test (queues, defaults and recorded requests), closed after. Returns a handle usable at once in
 * `describe` bodies; it forwards to the server once it has started.
 *
 * @example
 * const server = useProviderServer();
 * it('…', async () => { server.enqueue('openai', { status: 429 }); … });
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startProviderServer, type ProviderServer } from './provider-server.js';

export function useProviderServer(): ProviderServer {
  let server: ProviderServer | undefined;
  beforeAll(async () => {
    server = await startProviderServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => server?.reset());
  return new Proxy({} as ProviderServer, {
    get(_target, key) {
      if (!server) throw new Error('the provider server starts in beforeAll: use it inside a test or hook');
      const value = server[key as keyof ProviderServer];
      return typeof value === 'function' ? value.bind(server) : value;
    },
  });
}
