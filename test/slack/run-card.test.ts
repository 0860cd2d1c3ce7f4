import { describe, expect, it } from 'vitest';
import type { Run, RunStatus, StepStatus } from '../../src/engine/types.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { runCard } from '../../src/slack/blocks/index.js';
import { allText, buttons, checkBlocks } from '../support/block-limits.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const ALL_STEP_STATES: StepStatus[] = ['pending', 'running', 'waiting', 'awaiting_approval', 'done', 'failed', 'skipped', 'in_doubt', 'aborted', 'undoing', 'undone', 'undo_failed'];
const LABELS = ['pending', 'running', 'waiting', 'waiting for approval', 'done', 'failed', 'skipped', 'in doubt', 'aborted', 'undoing', 'undone', 'undo failed'];

describe('runCard', () => {
  it('shows title, run id, mode, starter, short hash, elapsed and status', () => {
    const card = runCard(makeRun(), T0 + 376_000);
    const text = allText(card.blocks);
    expect(text).toContain('Orders DB cutover');
    expect(text).toContain('r-20261122-abc');
    expect(text).toContain('LIVE');
    expect(text).toContain('<@U0LEAD>');
    expect(text).toContain('0123456789ab');
    expect(text).not.toContain('0123456789abc');
    expect(text).toContain('6m16s');
    expect(card.text).toContain('running');
    expect(checkBlocks(card.blocks)).toEqual([]);
  });

  it('renders every step state with its label and the duration of finished steps', () => {
    const steps = ALL_STEP_STATES.map((status, i) =>
      makeStep(`s-${status.replace('_', '-')}`, { status, startedAt: T0, ...(status === 'pending' ? { startedAt: undefined } : {}), endedAt: T0 + (i + 1) * 1000 }));
    const text = allText(runCard(makeRun({ steps }), T0 + 60_000).blocks);
    steps.forEach((s, i) => expect(text).toMatch(new RegExp(`${i + 1}\\. \\*${s.id}\\* ${LABELS[i]}`)));
    expect(text).toContain('*s-done* done · 5s');
  });

  it('shows step names, not ids (the ids are in the thread)', () => {
    const steps = [makeStep('flip-dns', { name: 'Flip DNS to Fly.io', status: 'done', startedAt: T0, endedAt: T0 + 1000 }), makeStep('smoke')];
    const text = allText(runCard(makeRun({ steps }), T0 + 60_000).blocks);
    expect(text).toContain('1. *Flip DNS to Fly.io* done');
    expect(text).not.toContain('flip-dns');
    expect(text).toContain('2. *smoke* pending');
  });

  it('says DRY RUN in the header and fallback text on every run status', () => {
    for (const status of ['running', 'paused', 'succeeded', 'failed', 'aborted', 'rolling_back', 'rolled_back', 'rollback_failed'] as RunStatus[]) {
      const card = runCard(makeRun({ dryRun: true, status }), T0);
      expect(card.text).toContain('DRY RUN');
      expect(allText(card.blocks.slice(0, 1))).toContain('DRY RUN');
      expect(allText(card.blocks)).not.toContain('LIVE');
    }
  });

  it('offers Abort only while running or paused, and Roll back only with something to undo', () => {
    const ids = (status: RunStatus, done: boolean) => buttons(runCard(withUndo(makeRun({
      status, steps: [makeStep('a', { status: done ? 'done' : 'pending' }), makeStep('b')],
    })), T0).blocks).map((b) => b.action_id);
    expect(ids('running', false)).toEqual([ACTION_IDS.abort]);
    expect(ids('paused', true)).toEqual([ACTION_IDS.abort, ACTION_IDS.runRollback]);
    expect(ids('succeeded', true)).toEqual([ACTION_IDS.runRollback]);
    expect(ids('rolling_back', true)).toEqual([]);
    expect(ids('rolled_back', true)).toEqual([]);
    expect(ids('aborted', false)).toEqual([]);
  });

  it('puts a confirm dialog and the run id on both card buttons', () => {
    const run = withUndo(makeRun({ status: 'paused', steps: [makeStep('a', { status: 'done' })] }));
    for (const b of buttons(runCard(run, T0).blocks)) {
      expect(b.style).toBe('danger');
      expect(b.confirm).toBeDefined();
      expect(JSON.parse(b.value as string)).toEqual({ runId: run.id });
    }
  });

  it('shows who aborted or asked for the rollback', () => {
    const run = makeRun({ status: 'rolling_back', abort: { user: 'U0ABORT', at: T0 }, rollback: { requestedBy: 'U0RB', at: T0, reason: 'errors up', order: [], cursor: 0 } });
    const text = allText(runCard(run, T0).blocks);
    expect(text).toContain('Aborted by <@U0ABORT>');
    expect(text).toContain('Rollback requested by <@U0RB>');
    expect(text).toContain('errors up');
  });

  it('stays within every Block Kit limit with 60 steps and with 2000 long-named steps', () => {
    const sixty = makeRun({ stepCount: 60, status: 'paused' });
    sixty.steps.forEach((s, i) => Object.assign(s, { status: i < 30 ? 'done' : 'pending', startedAt: T0, endedAt: T0 + 1000 }));
    const card = runCard(sixty, T0);
    expect(checkBlocks(card.blocks)).toEqual([]);
    expect(allText(card.blocks)).toContain('60. *step-60*');
    const huge = makeRun({ steps: Array.from({ length: 2000 }, (_, i) => makeStep(`step-${i}-${'x'.repeat(250)}`)) });
    const big = runCard(huge, T0);
    expect(checkBlocks(big.blocks)).toEqual([]);
    expect(allText(big.blocks)).toMatch(/more steps not shown/);
    expect(big.text.length).toBeLessThanOrEqual(3000);
  });

  it('escapes mrkdwn control characters from the runbook', () => {
    const run = makeRun({ steps: [makeStep('a')], runbook: { ...makeRun().runbook, title: 'A <!channel> & B' } });
    const mrkdwn = runCard(run, T0).blocks.filter((b) => b.type === 'section' || b.type === 'context');
    expect(allText(mrkdwn)).not.toContain('<!channel>');
    expect(runCard({ ...run, id: 'r-<!here>' }, T0).text).not.toContain('<!here>'); // notification text too
  });
});

/** Gives step `a` of the fixture runbook an undo. */
function withUndo(run: Run): Run {
  run.runbook.steps[0] = { ...run.runbook.steps[0]!, undo: { uses: 'shell', with: { run: 'true' } } };
  return run;
}

describe('runCard planned vs actual', () => {
  it('shows a step\'s duration next to its estimate, and the estimate alone before it starts', () => {
    const run = makeRun({ steps: [makeStep('final-sync', { status: 'done', startedAt: T0, endedAt: T0 + 552_000 }), makeStep('flip')] });
    run.runbook.steps[0]!.estimate = '6m';
    run.runbook.steps[1]!.estimate = '90s';
    const text = allText(runCard(run, T0 + 600_000).blocks);
    expect(text).toContain('9m12s, planned 6m');
    expect(text).toMatch(/flip\* pending · planned 1m30s/);
  });
});
