/**
 * The Claude hook asks a server only when CODEX_FLOW_SERVER names one: a default address would
 * send the prompt and CODEX_FLOW_TOKEN to whatever process listens on that local port.
 */
import { describe, expect, it } from 'vitest';
import { serverUrl } from '../../src/integrations/route-client.js';

describe('the hook server address', () => {
  it('is none when CODEX_FLOW_SERVER is unset or blank (the hook asked 127.0.0.1:7878)', () => {
    expect(serverUrl({})).toBeUndefined();
    expect(serverUrl({ CODEX_FLOW_SERVER: '  ' })).toBeUndefined();
    expect(serverUrl({ CODEX_FLOW_TOKEN: 'secret' })).toBeUndefined();
  });

  it('is the URL CODEX_FLOW_SERVER names; `off` and non-HTTP values are none', () => {
    expect(serverUrl({ CODEX_FLOW_SERVER: 'http://127.0.0.1:7878' })?.href).toBe('http://127.0.0.1:7878/');
    expect(serverUrl({ CODEX_FLOW_SERVER: 'off' })).toBeUndefined();
    expect(serverUrl({ CODEX_FLOW_SERVER: 'file:///etc/passwd' })).toBeUndefined();
  });
});
