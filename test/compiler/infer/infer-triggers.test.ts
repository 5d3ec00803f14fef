import fc from 'fast-check';
import RE2 from 're2';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { inferTriggers, MAX_INFERRED_KEYWORDS, type InferInput } from '../../../src/compiler/infer/index.js';
import { GENERIC_WORDS, isFiller } from '../../../src/compiler/infer/stop-words.js';

function brief(overrides: Partial<InferInput>): InferInput {
  return { id: 'x', name: 'x', description: '', body: '', tools: [], domain: 'core', source: 'agents/x.md', ...overrides };
}

const terraform = brief({
  id: 'terraform-specialist',
  name: 'terraform-specialist',
  description:
    'Expert Terraform/OpenTofu specialist mastering advanced IaC automation and state management. Use PROACTIVELY for Terraform modules.',
  body: '## Capabilities\n### Module design\n- Reusable modules\n- Remote state\n### State management\n- Locking\n- Drift\n### Testing\n- Terratest\n',
  domain: 'infrastructure',
});

describe('inferTriggers', () => {
  it('infers technology keywords, file patterns and a regex for a terraform agent', () => {
    const { inferred, diagnostics } = inferTriggers(terraform);
    expect(inferred.keywords.slice(0, 3)).toContain('terraform');
    expect(inferred.keywords).toContain('opentofu');
    expect(inferred.file_patterns).toEqual(expect.arrayContaining(['**/*.tf', '**/*.tfvars']));
    expect(inferred.regex.every((r) => r.priority >= 1 && r.priority <= 10)).toBe(true);
    expect(inferred.tier).toBe('specialist');
    expect(diagnostics).toEqual([]);
  });

  it('takes responsibilities from titled sublists and core from section titles', () => {
    const { inferred } = inferTriggers(terraform);
    expect(inferred.responsibilities.primary).toEqual(['Module design', 'State management', 'Testing']);
    expect(inferred.core).toEqual(expect.arrayContaining(['module design', 'state management']));
    expect(inferred.core.length).toBeGreaterThanOrEqual(3);
  });

  it('uses a "Triggers on:" list first, in order', () => {
    const { inferred } = inferTriggers(
      brief({
        id: 'growth-loops',
        name: 'growth-loops',
        description:
          "Use when the user wants to design a growth loop. Triggers on: 'growth loop', 'flywheel', 'viral loop', 'product-led growth'.",
      }),
    );
    expect(inferred.keywords.slice(0, 4)).toEqual(['growth loop', 'flywheel', 'viral loop', 'product-led growth']);
    expect(inferred.regex).toContainEqual({ pattern: '\\bproduct[- ]?led growth\\b', priority: 7 });
  });

  it('gives a language agent its files and language', () => {
    const { inferred } = inferTriggers(
      brief({ id: 'python-pro', name: 'python-pro', description: 'Write idiomatic Python code with pytest.' }),
    );
    expect(inferred.languages).toContain('python');
    expect(inferred.file_patterns).toContain('**/*.py');
  });

  it('does not give file patterns for technologies mentioned only in passing in the body', () => {
    const { inferred } = inferTriggers(
      brief({
        id: 'backend-developer',
        name: 'backend-developer',
        description: 'Build server-side APIs.',
        body: 'Integrates with Python, Go and Terraform when needed.',
      }),
    );
    expect(inferred.file_patterns).toEqual([]);
  });

  it('classifies coordinators and generalists', () => {
    expect(inferTriggers(brief({ id: 'multi-agent-coordinator', domain: 'meta-orchestration' })).inferred.tier).toBe('coordinator');
    expect(inferTriggers(brief({ id: 'context-manager' })).inferred.tier).toBe('coordinator');
    expect(inferTriggers(brief({ id: 'general-purpose' })).inferred.tier).toBe('generalist');
  });

  it('regression: a plugin prefix in the id does not make a specialist a coordinator', () => {
    const { inferred } = inferTriggers(
      brief({
        id: 'full-stack-orchestration-deployment-engineer',
        name: 'full-stack-orchestration-deployment-engineer',
        domain: 'full-stack-orchestration',
        source: 'plugins/full-stack-orchestration/agents/deployment-engineer.md',
      }),
    );
    expect(inferred.tier).toBe('specialist');
    expect(inferred.keywords).toContain('deployment engineering');
  });

  it('stores prose phrases with a singular head, which the router also matches in the plural', () => {
    const { inferred } = inferTriggers(
      brief({ id: 'pipeline-doctor', name: 'pipeline-doctor', description: 'Use when repairing nightly ingestion pipelines.' }),
    );
    expect(inferred.keywords).toContain('nightly ingestion pipeline');
    expect(inferred.keywords).not.toContain('nightly ingestion pipelines');
  });

  it('never emits a one-character keyword', () => {
    const { inferred } = inferTriggers(brief({ id: 'c-pro', name: 'c-pro', description: 'Write efficient C code with pointers.' }));
    expect(inferred.languages).toContain('c');
    expect(inferred.keywords.every((keyword) => keyword.length >= 2)).toBe(true);
    expect(inferred.file_patterns).toContain('**/*.c');
  });

  it('warns CF3001 at line 1 of the brief when nothing can be inferred', () => {
    const { inferred, diagnostics } = inferTriggers(
      brief({ id: 'the-agent', name: 'the agent', description: 'Use it.', source: 'a/b.md' }),
    );
    expect(inferred.keywords).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'CF3001', severity: 'warning', location: { file: 'a/b.md', line: 1, column: 1 } });
  });

  it('reports CF3003 when only one or two keywords could be inferred', () => {
    const { inferred, diagnostics } = inferTriggers(
      brief({ id: 'helper-bot', name: 'helper bot', description: 'Use it.', source: 'a/c.md' }),
    );
    expect(inferred.keywords.length).toBeGreaterThan(0);
    expect(inferred.keywords.length).toBeLessThan(3);
    expect(diagnostics.map((d) => d.code)).toEqual(['CF3003']);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(inferTriggers(terraform))).toBe(JSON.stringify(inferTriggers({ ...terraform })));
  });

  it('emits RE2-compatible regexes and valid globs', () => {
    const { inferred } = inferTriggers(
      brief({ id: 'docker-expert', name: 'docker-expert', description: 'Dockerfile and docker compose builds.' }),
    );
    expect(inferred.regex.length).toBeGreaterThan(0);
    for (const { pattern } of inferred.regex) expect(() => new RE2(pattern)).not.toThrow();
    for (const glob of inferred.file_patterns) expect(() => picomatch(glob)).not.toThrow();
    expect(inferred.file_patterns).toContain('**/Dockerfile');
  });

  it('never throws and never emits stop words, whatever the input', () => {
    const text = fc.string({ maxLength: 400 });
    fc.assert(
      fc.property(text, text, text, text, (id, name, description, body) => {
        const { inferred } = inferTriggers(brief({ id, name, description, body, domain: name }));
        expect(inferred.keywords.length).toBeLessThanOrEqual(MAX_INFERRED_KEYWORDS);
        for (const keyword of inferred.keywords) {
          expect(isFiller(keyword) || GENERIC_WORDS.has(keyword)).toBe(false);
          expect(keyword.length).toBeLessThanOrEqual(40);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('survives malformed input objects and huge bodies', () => {
    expect(() => inferTriggers({} as InferInput)).not.toThrow();
    const huge = brief({ body: '## Terraform\n- state\n'.repeat(200_000), description: 'x'.repeat(1_000_000) });
    expect(inferTriggers(huge).inferred.keywords.length).toBeLessThanOrEqual(MAX_INFERRED_KEYWORDS);
  });
});
