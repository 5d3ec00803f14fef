/**
 * Names with nothing `slugify` keeps (regression: a brief named only in CJK characters or emoji
 * got an empty id, was an error, and dropped out of the fleet). The id comes from the file name,
 * else it is derived from the name (stable, never empty); a CF2050 warning says which, and the
 * name is kept as written.
 */
import { describe, expect, it } from 'vitest';
import { derivedId } from '../../src/util/slug.js';
import { compileFiles } from '../support/compile.js';

const brief = (name: string) =>
  `---\nname: ${name}\ndescription: Use this agent for data analysis and dashboards.\ntools: Read\n---\n\nYou analyse data.\n`;

describe('names without ASCII letters or digits', () => {
  it.each([
    ['数据分析师', 'data/data-analyst.md', 'data-analyst', 'taken from the file name'],
    ['🚀🔥', 'ops/launcher.md', 'launcher', 'taken from the file name'],
    ['データ', 'data/データ.md', derivedId('データ'), 'derived from the name'],
    ['🤖', 'misc/🤖.md', derivedId('🤖'), 'derived from the name'],
  ])('%s in %s gets the id %s', (name, path, id, origin) => {
    const result = compileFiles({ [path]: brief(name) });
    const definitions = [...result.definitions.values()];
    expect(definitions).toHaveLength(1);
    expect(definitions[0]!.agent).toMatchObject({ id, name });
    const warning = result.diagnostics.find((entry) => entry.code === 'CF2050');
    expect(warning?.message).toContain(origin);
    expect(result.diagnostics.filter((entry) => entry.severity === 'error')).toEqual([]);
  });

  it('derived ids are stable, distinct per name, slug-shaped and never empty', () => {
    expect(derivedId('数据')).toBe(derivedId('数据'));
    expect(derivedId('数据')).not.toBe(derivedId('数据2'));
    // The same name in another Unicode form is the same id.
    expect(derivedId('が'.normalize('NFD'))).toBe(derivedId('が'.normalize('NFC')));
    for (const name of ['数据', '🚀', '٣', '']) expect(derivedId(name)).toMatch(/^agent-[0-9a-f]{10}$/);
  });

  it('two CJK briefs in one fleet get two ids', () => {
    const result = compileFiles({ 'a/数据.md': brief('数据'), 'b/分析.md': brief('分析') });
    expect([...result.definitions.values()].map((definition) => definition.agent.id).sort()).toEqual(
      [derivedId('分析'), derivedId('数据')].sort(),
    );
  });
});
