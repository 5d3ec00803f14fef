/**
 * Workload tiers of compiled agents: inferred from the role (coordinators orchestrate), the
 * brief's `model:` (opus reasons, haiku looks up) and role words, overridable under `codex:`, and
 * inferred when read for fleets compiled before the field existed.
 */
import { describe, expect, it } from 'vitest';
import { definitionWorkload, workloadOf } from '../../src/fleet/workload.js';
import { compileFiles } from '../support/compile.js';

function compile(text: string) {
  return compileFiles({ 'core/x.md': text }).definitions[0];
}

describe('workloadOf', () => {
  it.each([
    [{ id: 'task-planner', domain: 'orchestration', model: 'sonnet', tier: 'coordinator' as const }, 'orchestrator'],
    [{ id: 'backend-developer', domain: 'core', model: 'opus', tier: 'specialist' as const }, 'reasoning'],
    [{ id: 'backend-developer', domain: 'core', model: 'haiku', tier: 'specialist' as const }, 'librarian'],
    [{ id: 'code-reviewer', domain: 'quality', model: 'sonnet', tier: 'specialist' as const }, 'reasoning'],
    [{ id: 'api-docs-writer', domain: 'docs', model: 'sonnet', tier: 'specialist' as const }, 'librarian'],
    [{ id: 'backend-developer', domain: 'core', model: 'inherit', tier: 'specialist' as const }, 'coding'],
  ])('%o → %s', (input, expected) => {
    expect(workloadOf(input)).toBe(expected);
  });
});

describe('compiled workload', () => {
  it('is written into agent.classification.workload', () => {
    const definition = compile(
      '---\nname: security-auditor\ndescription: Audits code for vulnerabilities.\nmodel: sonnet\ntools: Read\n---\nBody.\n',
    );
    expect(definition?.agent.classification.workload).toBe('reasoning');
  });

  it('codex: agent.classification.workload overrides the inference', () => {
    const definition = compile(
      '---\nname: security-auditor\ndescription: Audits code.\nmodel: sonnet\ntools: Read\ncodex:\n  agent:\n    classification:\n      workload: librarian\n---\nBody.\n',
    );
    expect(definition?.agent.classification.workload).toBe('librarian');
  });

  it('an unknown workload in codex: is a validation error, not a crash', () => {
    const result = compileFiles({
      'x.md':
        '---\nname: x\ndescription: Writes code.\ntools: Read\ncodex:\n  agent:\n    classification:\n      workload: wizard\n---\nBody.\n',
    });
    expect(result.definitions).toEqual([]);
    expect(result.diagnostics.some((entry) => entry.severity === 'error')).toBe(true);
  });

  it('a definition without the field (an older fleet) gets it inferred when read', () => {
    const definition = compile('---\nname: api-docs-writer\ndescription: Writes API docs.\nmodel: sonnet\ntools: Read\n---\nBody.\n')!;
    const older = structuredClone(definition);
    delete older.agent.classification.workload;
    expect(definitionWorkload(older)).toBe('librarian');
  });
});
