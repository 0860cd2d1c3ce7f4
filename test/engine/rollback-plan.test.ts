// What a rollback would take and cost, and how it is shown (pure: records in, text out).
import { describe, expect, it } from 'vitest';
import { beginRollback } from '../../src/engine/flow.js';
import { pointOfNoReturn, rollbackPlan, rollbackPreview, stillApplied } from '../../src/engine/rollback-plan.js';
import type { Run } from '../../src/engine/types.js';
import { rollbackConfirm, rollbackMessage, runCard } from '../../src/slack/blocks/index.js';
import { costText, undoCountText } from '../../src/slack/blocks/rollback-button.js';
import { allText, buttons, checkBlocks } from '../support/block-limits.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

/** 33 done steps; flip-dns and maintenance have an undo. */
function bigRun(): Run {
  const ids = ['maintenance', ...Array.from({ length: 15 }, (_, i) => `check-${i}`), 'flip-dns', ...Array.from({ length: 16 }, (_, i) => `verify-${i}`)];
  const run = makeRun({ status: 'succeeded', steps: ids.map((id, i) => makeStep(id, { status: 'done', startedAt: T0 + i, endedAt: T0 + i + 1 })) });
  for (const s of run.runbook.steps) if (s.id === 'maintenance' || s.id === 'flip-dns') s.undo = { uses: 'shell', with: { run: 'true' } };
  return run;
}

describe('rollback plan', () => {
  it('counts only steps with an undo, most recent first, and collapses the rest', () => {
    const p = rollbackPreview(bigRun());
    expect(undoCountText(p)).toBe('2 steps will be undone: flip-dns, maintenance. 31 steps have nothing to undo.');
    expect(allText(rollbackConfirm(bigRun(), 'p99 doubled').blocks)).toContain('2 steps will be undone: flip-dns, maintenance. 31 steps have nothing to undo.');
  });

  it('--to keeps the target and everything before it; refuses an unknown or unfinished step', () => {
    const run = bigRun();
    expect(rollbackPlan(run, 'check-14').map((s) => s.id)).toEqual([...Array.from({ length: 16 }, (_, i) => `verify-${15 - i}`), 'flip-dns']);
    expect(() => rollbackPlan(run, 'nope')).toThrow(/has no step "nope"/);
    run.steps[3]!.status = 'pending';
    expect(() => rollbackPlan(run, run.steps[3]!.id)).toThrow(/has not completed/);
  });

  it('the summary lists undone steps, collapses the rest, and names what is still applied', () => {
    const run = bigRun();
    beginRollback(run, 'U0LEAD', 'p99 doubled', T0 + 100);
    const flip = run.steps.find((s) => s.id === 'flip-dns')!;
    Object.assign(flip, { status: 'undone', undo: { status: 'done', attempt: 1 } });
    const maint = run.steps.find((s) => s.id === 'maintenance')!;
    Object.assign(maint, { status: 'undo_skipped', undo: { status: 'skipped', attempt: 1, error: 'exit 1', decision: { kind: 'skip', user: 'U0LEAD', at: T0, reason: 'pinned' } } });
    run.status = 'rollback_failed';
    const text = allText(rollbackMessage(run, T0 + 200).blocks);
    expect(text).toContain('*flip-dns* undone');
    expect(text).toContain('skipped by <@U0LEAD>: pinned');
    expect(text).toContain('1/2 undone · 31 steps had nothing to undo · :warning: still applied: maintenance');
    expect(text).not.toContain('check-3');
    expect(stillApplied(run).map((s) => s.id)).toEqual(['maintenance']);
    expect(allText(runCard(run, T0).blocks)).toContain('Still applied: maintenance (undo skipped: still applied)');
    expect(checkBlocks(rollbackMessage(run, T0).blocks)).toEqual([]);
  });

  it('a paused rollback shows Retry / Skip this undo / Mark undone by hand for the failed undo', () => {
    const run = bigRun();
    beginRollback(run, 'U0LEAD', 'x', T0 + 100);
    Object.assign(run.steps.find((s) => s.id === 'flip-dns')!, { status: 'undo_failed', undo: { status: 'failed', attempt: 1, error: 'exit 2' } });
    run.status = 'rollback_paused';
    const ids = buttons(rollbackMessage(run, T0).blocks).map((b) => [b.action_id, JSON.parse(b.value as string)]);
    const ref = { runId: run.id, stepId: 'flip-dns', attempt: 1 };
    expect(ids).toEqual([['undo_retry', ref], ['undo_skip', ref], ['undo_by_hand', ref]]);
  });

  it('a point of no return names the step and its prompt, and the card button drops its dialog for the modal', () => {
    const run = bigRun();
    const spec = run.runbook.steps.find((s) => s.id === 'check-3')!;
    Object.assign(spec, { point_of_no_return: true, uses: 'approval', with: { prompt: 'Open sign-ups? New records are lost on rollback.' } });
    run.steps.find((s) => s.id === 'check-3')!.name = 'Open sign-ups';
    expect(pointOfNoReturn(run)).toEqual({ stepId: 'check-3', name: 'Open sign-ups', prompt: 'Open sign-ups? New records are lost on rollback.' });
    expect(costText(rollbackPreview(run))).toBe('Step Open sign-ups was a point of no return: Open sign-ups? New records are lost on rollback.');
    const [rb] = buttons(runCard(run, T0).blocks);
    expect(rb).toMatchObject({ action_id: 'run_rollback' });
    expect(rb!.confirm).toBeUndefined();
    expect(allText(rollbackConfirm(run, 'x').blocks)).toContain('You will be asked to type `db-cutover` to confirm.');
  });
});
