/**
 * The runner gates an `mcp__*` call like Bash (a bridge is a configured shell command), so the
 * compiler gives an agent granted one the autonomy to run commands; else a compiled agent with a
 * bridge would have every bridge call refused (CF5100).
 */
import { describe, expect, it } from 'vitest';
import { AUTONOMY_TO_RUN } from '../../src/runner/autonomy.js';
import { compileFiles } from '../support/compile.js';

describe('the compiled autonomy of an agent granted an MCP tool', () => {
  it('is the level that runs commands', () => {
    const brief =
      '---\nname: filer\ndescription: Files issues for reviews\ntools: Read, mcp__github__create_issue\n---\nYou file issues.\n';
    const result = compileFiles({ 'filer.md': brief });
    const filer = result.definitions.find((d) => d.agent.id === 'filer')!;
    expect(filer.capabilities.detail.tools.allowed).toContain('mcp__github__create_issue');
    expect(filer.runtime.autonomy_level).toBe(AUTONOMY_TO_RUN);
  });
});
