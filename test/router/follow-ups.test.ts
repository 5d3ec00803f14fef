import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/router/staged-router.js';
import { evaluate } from '../../src/router/eval.js';
import { formatRoute } from '../../src/router/format.js';
import type { FleetIndex } from '../../src/fleet/types.js';
import { tableOf } from './support/tables.js';

const triggers = tableOf({
  'deployment-engineer': { keywords: ['deploy'] },
  'log-checker': { keywords: ['logs'] },
  'model-trainer': { keywords: ['training'] },
  'web-dev': { keywords: ['css'] },
});
const row = (id: string, description: string) => ({
  id,
  name: id,
  description,
  path: `${id}.yaml`,
  source: `${id}.md`,
  hash: 'h',
  domain: 'd',
  tier: 'specialist',
  keywords: [],
});
const index = {
  hash: 'sha256:test',
  agents: [
    row('deployment-engineer', 'Ships releases.'),
    row('log-checker', 'Pulls production logs. Use after any deploy, or any time you suspect something is going wrong.'),
    row('model-trainer', 'Trains models. Use after a training brief exists, for dataset preparation or model export.'),
    row('web-dev', 'Builds pages.'),
  ],
} as unknown as FleetIndex;

describe('follow-ups in the route answer', () => {
  const router = createRouter({ triggers, index });

  it('lists the agents whose briefs ask to run after this kind of work, apart from the candidates, with the clause and the reason', () => {
    const result = router.route({ task: 'deploy the checkout service' });
    expect(result.candidates[0]!.id).toBe('deployment-engineer');
    expect(result.followUps).toEqual([
      { id: 'log-checker', after: 'any deploy, or any time you suspect something is going wrong', reason: 'deploys' },
    ]);
    expect(formatRoute(result)).toContain('follow-up: log-checker (deploys: its brief says to run it after any deploy');
  });

  it('a clause word alone is not enough; two are', () => {
    expect(router.route({ task: 'which model should we pick' }).followUps).toEqual([]);
    const both = router.route({ task: '@deployment-engineer deploy the model export and its dataset' });
    expect(both.candidates[0]!.id).toBe('deployment-engineer');
    expect(both.followUps).toEqual([
      expect.objectContaining({ id: 'log-checker', reason: 'deploys' }),
      expect.objectContaining({ id: 'model-trainer', reason: '"dataset", "model", "export"' }),
    ]);
  });

  it('never lists the first candidate or a disabled agent, and every result has the field', () => {
    expect(router.route({ task: 'check the logs after the deploy' }, { top: 1 }).followUps.map((f) => f.id)).toEqual(
      router.route({ task: 'check the logs after the deploy' }, { top: 1 }).candidates[0]!.id === 'log-checker' ? [] : ['log-checker'],
    );
    expect(createRouter({ triggers, index }, { options: { disabled: ['log-checker'] } }).route({ task: 'deploy it' }).followUps).toEqual(
      [],
    );
    expect(router.route({ task: 'fix the css' }).followUps).toEqual([]);
  });

  it('eval counts follow-up hits apart from the ranks', () => {
    const report = evaluate(
      router,
      [
        { line: 1, task: 'deploy the checkout service', files: [], expected: ['log-checker'] },
        { line: 2, task: 'fix the css', files: [], expected: ['web-dev'] },
      ],
      1,
    );
    expect(report.followUps).toEqual({ answered: 1, hits: 1, outsideTop3: 1 });
    expect(report.top1).toBe(0.5);
  });
});
