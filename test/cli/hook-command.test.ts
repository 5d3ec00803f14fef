/**
 * The `hook user-prompt` command around its function: exit 0 whatever happens, stdout only for a
 * hint, one line on stderr otherwise; stdin that never ends is given up at the cap and closed, so
 * the process can end.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { runHookUserPrompt } from '../../src/cli/commands/hook.js';

describe('codex-flow hook user-prompt', () => {
  it('garbage stdin: exit 0, nothing on stdout, one line on stderr', async () => {
    const io = memoryIO(process.cwd(), { CODEX_FLOW_SERVER: 'off' }, 'garbage');
    expect(await main(['hook', 'user-prompt'], io)).toBe(0);
    expect(io.out()).toBe('');
    expect(io.err().trimEnd().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/^codex-flow hook: CF9545 /);
  });

  it('stdin that never ends: exit 0 at the cap, stdin closed', async () => {
    let closed = false;
    const io = {
      ...memoryIO(process.cwd(), { CODEX_FLOW_HOOK_TIMEOUT_MS: '300' }),
      readStdin: () => new Promise<string>(() => {}),
      closeStdin: () => {
        closed = true;
      },
    };
    const started = Date.now();
    expect(await runHookUserPrompt(io)).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(closed).toBe(true);
    expect(io.err()).toMatch(/CF9545 .*stdin did not end/);
  });

  it('a bug of ours is said as one, on one line, and still exits 0', async () => {
    const io = { ...memoryIO(process.cwd(), {}), readStdin: () => Promise.reject(new TypeError('boom\n    at somewhere')) };
    expect(await runHookUserPrompt(io)).toBe(0);
    expect(io.err()).toBe('codex-flow hook: internal error (a bug in codex-flow, not in your input): boom\n');
  });
});
