/**
 * Every brief of both shared collections gets meaningful triggers: ≥ 3 keywords, none a stop
 * word or generic word, none longer than 40 characters; and brief-specific sanity checks that a
 * person would expect (terraform agents claim *.tf, growth-loops answers to "growth loop").
 */
import picomatch from 'picomatch';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { inferTriggers, type Inferred } from '../../../src/compiler/infer/index.js';
import { GENERIC_WORDS, isFiller } from '../../../src/compiler/infer/stop-words.js';
import { loadCorpus } from './corpus-briefs.js';
import { sharedCorpus, skipWithout } from '../../support/requirements.js';

const available = !skipWithout(sharedCorpus, 'trigger inference on every corpus brief');
const briefs = available ? loadCorpus() : [];
const results = new Map<string, Inferred>(briefs.map((brief) => [brief.source, inferTriggers(brief).inferred]));

function bySource(fragment: string): Inferred {
  const entry = [...results.entries()].find(([source]) => source.endsWith(fragment));
  if (!entry) throw new Error(`no brief ${fragment}`);
  return entry[1];
}

describe.skipIf(!available)('trigger inference on the shared corpus', () => {
  it('reads all 360 briefs', () => {
    expect(briefs.length).toBe(360);
  });

  it('gives every brief at least 3 meaningful keywords', () => {
    const failures: string[] = [];
    for (const brief of briefs) {
      const { keywords } = results.get(brief.source)!;
      if (keywords.length < 3) failures.push(`${brief.source}: only ${keywords.length}`);
      for (const keyword of keywords) {
        if (isFiller(keyword) || GENERIC_WORDS.has(keyword)) failures.push(`${brief.source}: weak '${keyword}'`);
        if (keyword.length > 40) failures.push(`${brief.source}: long '${keyword}'`);
        if (keyword !== keyword.toLowerCase()) failures.push(`${brief.source}: not lower case '${keyword}'`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('emits only regexes RE2 compiles and globs picomatch compiles', () => {
    const failures: string[] = [];
    for (const [source, inferred] of results) {
      for (const { pattern, priority } of inferred.regex) {
        try {
          new RE2(pattern);
        } catch {
          failures.push(`${source}: regex ${pattern}`);
        }
        if (priority < 1 || priority > 10) failures.push(`${source}: priority ${priority}`);
      }
      for (const glob of inferred.file_patterns) {
        expect(() => picomatch(glob)).not.toThrow();
      }
    }
    expect(failures).toEqual([]);
  });

  it('maps technologies named by the agent to file patterns', () => {
    expect(bySource('03-infrastructure/terraform-engineer.md').file_patterns).toContain('**/*.tf');
    expect(bySource('cicd-automation/agents/terraform-specialist.md').file_patterns).toContain('**/*.tf');
    expect(bySource('02-language-specialists/python-pro.md').file_patterns).toContain('**/*.py');
    expect(bySource('python-development/agents/python-pro.md').file_patterns).toContain('**/*.py');
    expect(bySource('03-infrastructure/docker-expert.md').file_patterns).toContain('**/Dockerfile');
    expect(bySource('02-language-specialists/golang-pro.md').file_patterns).toContain('**/*.go');
    expect(bySource('02-language-specialists/sql-pro.md').file_patterns).toContain('**/*.sql');
    expect(bySource('01-core-development/graphql-architect.md').file_patterns).toContain('**/*.graphql');
    expect(bySource('02-language-specialists/typescript-pro.md').file_patterns).toContain('**/*.ts');
    expect(bySource('04-quality-security/test-automator.md').file_patterns).toContain('**/*.test.ts');
  });

  it('keeps agents that are not about one technology free of file patterns', () => {
    for (const fragment of [
      '08-business-product/product-manager.md',
      '10-research-analysis/market-researcher.md',
      '01-core-development/backend-developer.md',
    ]) {
      expect(bySource(fragment).file_patterns).toEqual([]);
    }
  });

  it('uses "Triggers on:" lists', () => {
    expect(bySource('08-business-product/growth-loops.md').keywords).toEqual(expect.arrayContaining(['growth loop', 'flywheel']));
    expect(bySource('07-specialized-domains/hipaa-compliance.md').keywords).toEqual(expect.arrayContaining(['hipaa', 'phi']));
  });

  it('finds the phrases people type for well-known agents', () => {
    expect(bySource('03-infrastructure/kubernetes-specialist.md').keywords).toEqual(expect.arrayContaining(['kubernetes', 'k8s']));
    expect(bySource('01-core-development/graphql-architect.md').keywords).toContain('graphql');
    expect(bySource('02-language-specialists/react-specialist.md').keywords).toContain('react');
    expect(bySource('02-language-specialists/sql-pro.md').keywords).toContain('sql query');
    expect(bySource('03-infrastructure/docker-expert.md').keywords).toContain('dockerfile');
    expect(bySource('04-quality-security/code-reviewer.md').keywords).toContain('code review');
    expect(bySource('04-quality-security/debugger.md').keywords).toContain('debugging');
  });

  it('marks the meta-orchestration agents as coordinators and the rest mostly as specialists', () => {
    expect(bySource('09-meta-orchestration/multi-agent-coordinator.md').tier).toBe('coordinator');
    expect(bySource('09-meta-orchestration/context-manager.md').tier).toBe('coordinator');
    expect(bySource('02-language-specialists/python-pro.md').tier).toBe('specialist');
    const coordinators = [...results.values()].filter((inferred) => inferred.tier === 'coordinator').length;
    expect(coordinators).toBeLessThan(40);
  });

  it('fills capabilities and responsibilities for nearly every brief', () => {
    const values = [...results.values()];
    expect(values.filter((inferred) => inferred.core.length >= 3).length).toBeGreaterThanOrEqual(values.length - 5);
    expect(values.filter((inferred) => inferred.responsibilities.primary.length > 0).length).toBeGreaterThanOrEqual(values.length - 10);
  });
});
