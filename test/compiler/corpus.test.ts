/**
 * The two real collections in ../shared/corpus: every brief either compiles or produces a
 * precise diagnostic, and the expected outcome of each collection is pinned (agents compiled and
 * the count of every diagnostic code). A change in these numbers is a change in behaviour on real
 * input: look at the new diagnostics before updating the pins.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../src/compiler/compile.js';
import { countByCode } from '../../src/diagnostics/diagnostic.js';
import { compileCollection } from '../support/corpus.js';
import { sharedCorpus, skipWithout } from '../support/requirements.js';

interface Pin {
  collection: string;
  briefs: number;
  compiled: number;
  /** Counts per code, trigger inference (CF3xxx) excluded: it has its own tests. */
  codes: Record<string, number>;
}

const PINS: Pin[] = [
  {
    collection: 'VoltAgent__awesome-claude-code-subagents',
    briefs: 158,
    compiled: 158,
    codes: { CF1111: 8, CF2003: 2, CF2012: 6, CF2014: 2, CF2015: 2 },
  },
  {
    collection: 'wshobson__agents',
    briefs: 202,
    compiled: 202,
    codes: { CF2011: 187, CF2014: 3 },
  },
];

/** Per-brief outcomes, pinned in test/fixtures/corpus-outcomes.json (CODEX_FLOW_UPDATE_PINS=1 rewrites it). */
const OUTCOMES_FILE = join(import.meta.dirname, '../fixtures/corpus-outcomes.json');

function outcomesOf(result: CompileResult): Record<string, string> {
  const compiled = new Set(result.definitions.map((d) => d.provenance.source));
  const byFile = new Map<string, string[]>();
  for (const d of result.diagnostics) {
    if (d.code.startsWith('CF3') || !d.location) continue;
    byFile.set(d.location.file, [...(byFile.get(d.location.file) ?? []), d.code]);
  }
  const files = new Set([...compiled, ...byFile.keys()]);
  return Object.fromEntries(
    [...files]
      .sort()
      .map((file) => [file, `${compiled.has(file) ? 'compiled' : 'refused'}${byFile.has(file) ? ` ${byFile.get(file)!.join(' ')}` : ''}`]),
  );
}

describe.skipIf(skipWithout(sharedCorpus, 'the pinned outcome of every corpus brief'))('shared corpus', () => {
  it('gives every brief its pinned outcome (compiled or refused, and its diagnostic codes)', async () => {
    const outcomes: Record<string, string> = {};
    for (const pin of PINS) {
      const result = await compileCollection(pin.collection);
      const compiledFiles = new Set(result.definitions.map((d) => d.provenance.source));
      for (const [file, outcome] of Object.entries(outcomesOf(result))) outcomes[file] = outcome;
      expect(compiledFiles.size).toBe(pin.compiled);
    }
    if (process.env.CODEX_FLOW_UPDATE_PINS === '1') writeFileSync(OUTCOMES_FILE, `${JSON.stringify(outcomes, null, 2)}\n`);
    const pinned = JSON.parse(readFileSync(OUTCOMES_FILE, 'utf8')) as Record<string, string>;
    expect(outcomes).toEqual(pinned);
  });

  for (const pin of PINS) {
    describe(pin.collection, () => {
      let result: CompileResult;
      beforeAll(async () => {
        result = await compileCollection(pin.collection);
      });

      it('compiles the expected briefs with the expected diagnostics', () => {
        expect(result.stats.briefs).toBe(pin.briefs);
        expect(result.stats.compiled).toBe(pin.compiled);
        const codes = countByCode(result.diagnostics.filter((d) => !d.code.startsWith('CF3')));
        expect(codes).toEqual(pin.codes);
      });

      it('gives every diagnostic a location inside the collection and a hint', () => {
        for (const d of result.diagnostics) {
          expect(d.location?.file.startsWith(`${pin.collection}/`)).toBe(true);
          if (d.severity !== 'info') expect(d.hint).toBeTruthy();
        }
      });

      it('gives every agent meaningful keyword triggers', () => {
        expect(result.diagnostics.filter((d) => d.code === 'CF3001')).toEqual([]);
        for (const definition of result.definitions) {
          const { keywords } = definition.triggers;
          expect(keywords.length, definition.agent.id).toBeGreaterThanOrEqual(3);
          expect(keywords.every((keyword) => keyword.length <= 40 && keyword !== definition.agent.description.toLowerCase())).toBe(true);
        }
      });

      it('keeps ids unique and every description whole', () => {
        const ids = result.definitions.map((d) => d.agent.id);
        expect(new Set(ids).size).toBe(ids.length);
        const index = JSON.parse(result.files.get('index.json') as string) as { agents: Array<{ id: string; description: string }> };
        for (const entry of index.agents) {
          expect(entry.description).toBe(result.definitions.find((d) => d.agent.id === entry.id)!.agent.description);
        }
      });
    });
  }
});
