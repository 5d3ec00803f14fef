/**
 * route's CommandIO (src/cli/descriptor-io.ts) writes to descriptors 1 and 2 without Node's
 * streams: the bytes come out whole and in order, a reader that closes the pipe early ends the
 * command quietly with exit 0 (as processIO does), and pipes are not terminals.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
let dir: string;
let module: string;

// The module bundled for plain node: a loader (tsx) in the child would open the streams itself.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cf-descriptor-io-'));
  module = join(dir, 'descriptor-io.cjs');
  const result = await build({
    entryPoints: [join(root, 'src/cli/descriptor-io.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  writeFileSync(module, result.outputFiles[0]!.text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` with `io = descriptorIO()` in a child process, under bash (for pipelines). */
function withDescriptorIO(body: string, pipeline = '') {
  const script = `const io = require(${JSON.stringify(module)}).descriptorIO(); ${body}`;
  const command = `${JSON.stringify(process.execPath)} -e ${JSON.stringify(script).replace(/\$/g, '\\$')}${pipeline}`;
  return spawnSync('bash', ['-c', `set -o pipefail; ${command}`], { encoding: 'utf8', timeout: 30_000 });
}
describe('descriptor IO', () => {
  it('writes every byte in order, UTF-8 whole, and a pipe is not a terminal', () => {
    const result = withDescriptorIO(
      `io.stdout('a…'); io.stderr('warn\\n'); io.stdout('é'.repeat(70000)); io.stdout(String(io.isTTY) + String(io.stderrIsTTY));`,
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`a…${'é'.repeat(70000)}falsefalse`);
    expect(result.stderr).toBe('warn\n');
  });

  it('a reader that closes the pipe early ends the command quietly, exit 0', () => {
    const result = withDescriptorIO(
      `for (let i = 0; i < 2000; i++) io.stdout('x'.repeat(999) + '\\n'); io.stderr('not reached\\n');`,
      ' | head -c 10 >/dev/null',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
