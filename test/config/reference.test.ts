/**
 * docs/configuration.md lists the keys the loader checks: its reference part is what
 * scripts/config-reference.ts renders from the section registry (run it if this fails).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PATH, referencePage } from '../../scripts/config-reference.js';

describe('the configuration reference', () => {
  it('docs/configuration.md is generated from the registry and current (run `npx tsx scripts/config-reference.ts`)', async () => {
    const page = readFileSync(REFERENCE_PATH, 'utf8');
    expect(page).toBe(await referencePage(page));
    expect(page).toContain('| `router.rerank.model` |');
    expect(page).toContain('| `learning.reward.latency_ref_ms.coding` | a number > 0 |');
  });
});
