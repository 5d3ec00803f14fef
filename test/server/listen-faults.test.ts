/**
 * A port that cannot be listened on says why: a port in use is not a malformed --port.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import { makeProject } from './support.js';

describe('serve: a port that cannot be listened on', () => {
  it('a port in use is CF9508 with a hint about the port in use, not "give --port an integer"', async () => {
    const root = await makeProject();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const started = await startServer({ root, env: {}, host: '127.0.0.1', port, log: () => {} });
      expect(started.server).toBeUndefined();
      const failed = started.diagnostics.find((entry) => entry.code === 'CF9508');
      expect(failed?.message).toContain('EADDRINUSE');
      expect(failed?.hint).toContain('in use');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
