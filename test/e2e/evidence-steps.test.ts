// Evidence steps in whole runs: a shell step's JSON stdout becomes outputs that an assert reads;
// a failing assert pauses the run naming the comparison, its values kept as evidence.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;

const book = (name: string, json: string) => `
name: ${name}
channel: C0CUTOVER
roles: { lead: [U0LEAD] }
steps:
  - id: reconcile
    uses: shell
    with:
      outputs: json
      run: |
        printf '%s' '${json}'
  - id: counts-match
    uses: assert
    with:
      that:
        - "\${{ steps.reconcile.outputs.missing }} == 0 && \${{ steps.reconcile.outputs.note }} == null"
        - "\${{ steps.reconcile.outputs.new }} >= \${{ steps.reconcile.outputs.old }} * 0.999"
`;

beforeAll(async () => {
  sys = await startSystem({
    runbooks: {
      'good.yml': book('good', '{"missing": 0, "note": null, "old": 1000, "new": 999}'),
      'bad.yml': book('bad', '{"missing": 3, "note": null, "old": 1000, "new": 990}'),
    },
  });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

async function run(name: string, until: (r: Run) => boolean): Promise<Run> {
  const invalid = (await bot.engine.listRunbooks()).find((l) => l.name === name)?.error;
  expect(invalid).toBeUndefined();
  await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: `start ${name}` });
  return waitUntil(async () => (await bot.engine.recentRuns(10)).find((r) => r.runbook.name === name && until(r)), 20_000, name);
}

it('a shell step\'s JSON stdout feeds an assert; each comparison and its values are evidence', async () => {
  const done = await run('good', (r) => r.status === 'succeeded');
  expect(done.steps[0]!.outputs).toMatchObject({ missing: 0, note: null, old: 1000, new: 999 });
  expect(done.steps[1]!.evidence).toEqual([
    '✓ steps.reconcile.outputs.missing == 0: 0 == 0',
    '✓ steps.reconcile.outputs.note == null: null == null',
    '✓ steps.reconcile.outputs.new >= steps.reconcile.outputs.old * 0.999: 999 >= 999',
  ]);
  await waitUntil(() => bot.outbox.idle(), 5000, 'outbox');
  const thread = (await sys.slack.messages('C0CUTOVER')).find((m) => m.text.includes(done.id))!.replies;
  expect(JSON.stringify(thread.map((r) => r.blocks))).toContain('steps.reconcile.outputs.new &gt;= steps.reconcile.outputs.old * 0.999: 999 &gt;= 999');
});

it('a failing assert pauses the run, naming each comparison that failed with its values', async () => {
  const paused = await run('bad', (r) => r.status === 'paused');
  const step = paused.steps[1]!;
  expect(step.status).toBe('failed');
  expect(step.error).toBe('assertion failed: that[0] steps.reconcile.outputs.missing == 0 (3 vs 0) is false; that[1] steps.reconcile.outputs.new >= steps.reconcile.outputs.old * 0.999 (990 vs 999) is false');
  expect(step.evidence).toEqual([
    '✗ steps.reconcile.outputs.missing == 0: 3 == 0',
    '✗ steps.reconcile.outputs.new >= steps.reconcile.outputs.old * 0.999: 990 >= 999',
  ]);
  // The same as data, for reports.
  expect(step.facts?.comparisons).toEqual([
    { that: expect.any(String), comparison: 'steps.reconcile.outputs.missing == 0', left: 3, right: 0, ok: false },
    { that: expect.any(String), comparison: 'steps.reconcile.outputs.new >= steps.reconcile.outputs.old * 0.999', left: 990, right: 999, ok: false },
  ]);
  await bot.engine.abort(paused.id, 'U0LEAD');
});
