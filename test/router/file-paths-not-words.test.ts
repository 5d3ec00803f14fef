import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createRouter } from '../../src/router/staged-router.js';
import { loadFleet } from '../../src/fleet/load.js';
import { semanticQuery } from '../../src/router/request.js';

const { fleet } = loadFleet(join(import.meta.dirname, '../../codex/agents'));

/** Words the semantic stage compared for a request (its evidence terms over every candidate). */
function semanticWords(files: string[]): string[] {
  const result = createRouter(fleet!).route({ files }, { top: 21 });
  return result.candidates.flatMap((c) => c.evidence.flatMap((e) => (e.stage === 'semantic' ? [e.term] : [])));
}

describe('route --files: a path is not a sentence (the file stem matched agents as a word)', () => {
  it('route --files main.tf does not match agents on "main"', () => {
    expect(semanticWords(['main.tf'])).not.toContain('main');
    expect(semanticWords(['src/main.py'])).not.toContain('main');
    expect(createRouter(fleet!).route({ files: ['src/main.py'] }).candidates[0]?.id).not.toBe('terraform-engineer');
  });

  it('a file stem or an ordinary folder name is no word of the query; the extension and known folders are', () => {
    expect(semanticWords(['app/models/user.rb'])).not.toContain('user');
    const query = semanticQuery('', ['app/models/user.rb', 'db/migrations/0042_add_index.sql', 'deploy/helm/values.yaml']);
    expect(query).not.toMatch(/\buser\b|\bapp\b|0042|\badd\b|\bindex\b/);
    expect(query).toMatch(/\bsql\b/);
    expect(query).toMatch(/\bmigrations\b/);
    expect(query).toMatch(/\bhelm\b/);
    // A tool's own file names the tool: its name is a word.
    expect(query).toMatch(/\bvalues\b/);
    expect(semanticQuery('', ['Dockerfile', 'web/playwright.config.ts'])).toBe('\ndockerfile\nplaywright ts');
  });

  it('the task keeps every word', () => {
    expect(semanticQuery('the main page is slow', ['main.tf'])).toMatch(/^the main page is slow/);
  });
});
