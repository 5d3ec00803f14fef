/**
 * Regression: with parallel tasks a $0.01 budget let three $0.021 calls all run, because each call
 * only checked what was already spent. Calls now reserve their estimated cost before they start.
 * Three tasks on three agents run in parallel through `codex-flow run --tasks` against the
 * fixture server; each call costs $0.021 (1,000 output tokens at OPENAI_PRICE_OUT=0.021 per 1K).
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-budget-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  const agents = ['api-designer', 'changelog-writer', 'sql-query-tuner'];
  await writeFile(join(project, 'tasks.jsonl'), agents.map((agent) => JSON.stringify({ agent, task: `task for ${agent}` })).join('\n'));
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function runWithBudget(budgetUsd: string) {
  // 400 ms per answer: the three calls are in flight together.
  server.setDefault('openai', { text: 'done', usage: { input: 0, output: 1000 }, latencyMs: 400 });
  const io = memoryIO(
    project,
    {
      ...fixtureEnv(server),
      CODEX_FLOW_PROVIDER: 'openai',
      CI: 'true',
      OPENAI_PRICE_IN: '0',
      OPENAI_PRICE_OUT: '0.021',
      CODEX_FLOW_BUDGET_USD: budgetUsd,
    },
    '',
  );
  const code = await main(['run', '--tasks', 'tasks.jsonl', '--json'], io);
  const result = JSON.parse(io.out());
  const spent = result.tasks.reduce((sum: number, task: { cost_usd: number | null }) => sum + (task.cost_usd ?? 0), 0);
  return { code, result, spent, err: io.err() };
}

describe('a budget holds with parallel tasks', () => {
  it('$0.01: no $0.021 call starts, nothing is spent, every task stops on the budget', async () => {
    const { code, result, spent } = await runWithBudget('0.01');
    expect(server.requests).toHaveLength(0);
    expect(spent).toBe(0);
    expect(code).toBe(1);
    expect(result.tasks.map((task: { stop_reason: string }) => task.stop_reason)).toEqual(['budget', 'budget', 'budget']);
    expect(result.diagnostics.map((d: { code: string }) => d.code)).toContain('CF7012');
  });

  it('$0.05: two calls fit and run together, the third is refused, spending stays under the budget, one warning at 80 %', async () => {
    const { code, result, spent, err } = await runWithBudget('0.05');
    expect(server.requests).toHaveLength(2);
    expect(spent).toBeCloseTo(0.042, 10);
    expect(spent).toBeLessThanOrEqual(0.05);
    expect(code).toBe(1);
    expect(result.tasks.map((task: { stop_reason: string }) => task.stop_reason).sort()).toEqual(['budget', 'completed', 'completed']);
    const refused = result.tasks.find((task: { stop_reason: string }) => task.stop_reason === 'budget');
    expect(refused.error).toMatch(/budget of \$0\.0500 would be passed: \$0\.0000 spent, \$0\.0430\d* held by calls in flight/);
    const codes = result.diagnostics.map((d: { code: string }) => d.code);
    expect(codes.filter((c: string) => c === 'CF7020')).toHaveLength(1);
    expect(result.diagnostics.find((d: { code: string }) => d.code === 'CF7020').message).toBe(
      '84 % of the budget of $0.0500 spent ($0.0420); calls that would pass it are refused',
    );
    expect(err.match(/budget warning:/g)).toHaveLength(1);
  });
});
