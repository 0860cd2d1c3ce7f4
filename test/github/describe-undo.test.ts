// github.merge's undo describes itself as a forced ref update, and the /rollback confirmation
// says so before anyone clicks; the deployment phase of each run status.
import { expect, it } from 'vitest';
import { describeUndo } from '../../src/engine/describe-undo.js';
import { validateRunbook } from '../../src/runbooks/validate.js';
import { rollbackConfirm } from '../../src/slack/blocks/replies.js';
import { deploymentPhase } from '../../src/github/deployment-phase.js';
import { makeRun, makeStep } from '../support/run-fixture.js';

const merged = () => {
  const runbook = validateRunbook({
    name: 'ship', channel: 'C0CUTOVER', secrets: ['GH_TOKEN'], github: { repo: 'therestartproject/restarters', ref: 'production' },
    steps: [{ id: 'merge', uses: 'github.merge', with: { repo: 'therestartproject/restarters', base: 'production', head: 'master', token: '${{ secrets.GH_TOKEN }}' } }],
  });
  const step = makeStep('merge', { uses: 'github.merge', status: 'done', endedAt: 1, outputs: { sha: '86699c6aa', previous_sha: '2a99da9bb' } });
  return makeRun({ runbook: { ...runbook }, steps: [step], status: 'watching' });
};

it('describes github.merge’s default undo, a forced reset guarded by the merge sha, without the token', () => {
  const d = describeUndo(merged(), 'merge')!;
  expect(d).toEqual({
    stepId: 'merge', uses: 'github.ref',
    text: 'force-move production of therestartproject/restarters to 2a99da9 (only if it is still at 86699c6)',
    caution: 'forced ref update: production of therestartproject/restarters is reset to 2a99da9, rewriting its history',
  });
});

it('puts the forced ref update in the /rollback confirmation', () => {
  const text = JSON.stringify(rollbackConfirm(merged(), 'CI deploy broke').blocks);
  expect(text).toContain(':warning: forced ref update: production of therestartproject/restarters is reset to 2a99da9');
});

it('maps run statuses to deployment states; dry runs and runs without github: get none', () => {
  const run = merged();
  const at = (status: typeof run.status) => deploymentPhase({ ...run, status })?.state;
  expect([at('running'), at('watching'), at('succeeded'), at('aborted'), at('rolling_back'), at('rolled_back'), at('rollback_failed')])
    .toEqual(['in_progress', 'in_progress', 'success', 'error', 'in_progress', 'inactive', 'failure']);
  expect(deploymentPhase({ ...run, status: 'paused', steps: [{ ...run.steps[0]!, status: 'failed' }] })).toMatchObject({ state: 'failure', description: 'step merge failed; run paused' });
  expect(deploymentPhase({ ...run, dryRun: true })).toBeNull();
  expect(deploymentPhase({ ...run, runbook: { ...run.runbook, github: undefined } })).toBeNull();
});
