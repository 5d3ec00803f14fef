import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, locator } from '../../src/config/config.js';
import { checkSection } from '../../src/config/check-section.js';
import { resolveRunnerOptions } from '../../src/runner/options.js';

function projectWithConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-sections-'));
  writeFileSync(join(dir, 'codex-flow.config.yaml'), text);
  return dir;
}

describe('config sections are checked once against the registry, each problem at its key or value', () => {
  it('an unknown key, nested two levels down, is reported at the key itself with a did-you-mean hint (it was at its parent, no hint)', async () => {
    const { config, diagnostics } = await loadConfig(projectWithConfig('compiler:\n  out: build\n  defaults:\n    tols: [Read]\n'));
    expect(config).toEqual({});
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CF9001',
        severity: 'error',
        message: 'unknown key `compiler.defaults.tols`',
        location: { file: 'codex-flow.config.yaml', line: 4, column: 5 },
        sourceLine: '    tols: [Read]',
        hint: 'did you mean `compiler.defaults.tools`?',
      }),
    ]);
  });

  it('a wrong type is reported at the value, with the kind to write', async () => {
    const { diagnostics } = await loadConfig(projectWithConfig('# settings\ncompiler:\n  exclude: drafts\n'));
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CF9001',
        message: '`compiler.exclude` must be array',
        location: { file: 'codex-flow.config.yaml', line: 3, column: 12 },
        hint: 'write a list (`[a, b]` or one `- item` a line) there',
      }),
    ]);
  });

  it('several problems in one section come back in file order, each with its own position', async () => {
    const { diagnostics } = await loadConfig(
      projectWithConfig('compiler:\n  skip_folders: x\n  defaults:\n    modle: opus\n    domain: Not A Slug\n'),
    );
    expect(diagnostics.map((d) => [d.message, d.location?.line, d.location?.column])).toEqual([
      ['`compiler.skip_folders` must be array', 2, 17],
      ['unknown key `compiler.defaults.modle`', 4, 5],
      ['`compiler.defaults.domain` must match pattern "^[a-z0-9]+(?:-[a-z0-9]+)*$"', 5, 13],
    ]);
  });

  it('an unknown section is a CF9002 warning at its key with the closest section as a hint; the rest of the config stands', async () => {
    const { config, diagnostics } = await loadConfig(projectWithConfig('compiler:\n  out: build\ncompilr:\n  src: x\n'));
    expect(config).toMatchObject({ compiler: { out: 'build' } });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CF9002',
        severity: 'warning',
        location: { file: 'codex-flow.config.yaml', line: 3, column: 1 },
        hint: 'did you mean `compiler`?',
      }),
    ]);
  });

  it('a bad enum value is reported at the value with the closest allowed value', () => {
    const text = 'router:\n  stages:\n    semantic: lexcal\n';
    const doc = parseDocument(text);
    const schema = {
      type: 'object',
      properties: { stages: { type: 'object', properties: { semantic: { enum: ['off', 'lexical', 'embedding'] } } } },
    };
    const diagnostics = checkSection(
      'router',
      doc.toJS().router,
      { code: 'CF9001', severity: 'error' },
      schema,
      locator(doc, text, 'c.yaml'),
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CF9001',
        message: '`router.stages.semantic` must be one of: off, lexical, embedding',
        location: { file: 'c.yaml', line: 3, column: 15 },
        hint: 'did you mean `lexical`?',
      }),
    ]);
  });

  it('the runner section: an unknown key under a named MCP server is a CF8010 warning at its key, reported once (the runner had no position)', async () => {
    const loaded = await loadConfig(
      projectWithConfig('runner:\n  queue:\n    max_queud: 3\n  tools:\n    mcp:\n      github:\n        comand: x\n  workspace: /tmp\n'),
    );
    expect(loaded.config.runner).toMatchObject({ workspace: '/tmp' });
    expect(loaded.diagnostics.map((d) => [d.code, d.severity, d.message, d.location?.line, d.location?.column, d.hint])).toEqual([
      ['CF8010', 'warning', 'unknown key `runner.queue.max_queud`; ignored', 3, 5, 'did you mean `runner.queue.max_queued`?'],
      [
        'CF8010',
        'warning',
        'unknown key `runner.tools.mcp.github.comand`; ignored',
        7,
        9,
        'did you mean `runner.tools.mcp.github.command`?',
      ],
    ]);
    const resolved = resolveRunnerOptions(loaded.config.runner, {});
    expect(resolved.diagnostics.filter((d) => d.message.startsWith('unknown key'))).toEqual([]);
  });
});
