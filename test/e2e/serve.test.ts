/**
 * `codex-flow serve` from the packed package, cold then warm: started as a process on a free
 * port, it answers /readyz and /v1/route (the fleet hash in the header and the body), serves
 * routes still in flight when SIGTERM arrives, and exits 0.
 */
import { spawn } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { userShell } from './support/user-shell.js';

const install = inject('packedInstall');
const shell = userShell(install, 'serve');
/** Start-up on a loaded CI machine, bounded. */
const LISTEN_TIMEOUT_MS = 30_000;

describe('serve, cold then warm', () => {
  for (const pass of ['cold', 'warm'] as const) {
    it(`${pass}: starts, answers /readyz and /v1/route, drains on SIGTERM and exits 0`, async () => {
      if (pass === 'cold') {
        expect((await shell.cli(['init'])).code).toBe(0);
        expect((await shell.cli(['convert'])).code).toBe(0);
      }
      const child = spawn(shell.bin, ['serve', '--port', '0'], { cwd: shell.project, env: shell.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const killer = setTimeout(() => child.kill('SIGKILL'), LISTEN_TIMEOUT_MS + 30_000);
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no "listening" line: ${stdout}${stderr}`)), LISTEN_TIMEOUT_MS);
          child.stdout.on('data', (chunk) => {
            stdout += chunk;
            const match = /listening on (http:\/\/\S+)/.exec(stdout);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]!);
            }
          });
        });
        const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
        const readiness = (await ready.json()) as { ok: boolean; fleet_hash: string };
        expect(readiness.ok).toBe(true);
        const route = () =>
          fetch(`${url}/v1/route`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ task: 'review this change before merge' }),
            signal: AbortSignal.timeout(10_000),
          });
        const routed = await route();
        const body = (await routed.json()) as { command: string; fleet_hash: string; result: { candidates: Array<{ id: string }> } };
        expect(routed.headers.get('x-codex-flow-fleet')).toBe(readiness.fleet_hash);
        expect(body.fleet_hash).toBe(readiness.fleet_hash);
        expect(body.result.candidates[0]?.id).toBe('code-reviewer');
        const inFlight = Array.from({ length: 5 }, () =>
          route().then(
            (response) => response.status,
            () => 0,
          ),
        );
        child.kill('SIGTERM');
        expect(await exited, stderr).toBe(0);
        // Each request either finished or never reached a server that had stopped accepting.
        for (const status of await Promise.all(inFlight)) expect([0, 200, 503]).toContain(status);
        expect(stderr).not.toMatch(/internal error/i);
      } finally {
        clearTimeout(killer);
        child.kill('SIGKILL');
      }
    });
  }
});
