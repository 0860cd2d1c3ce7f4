import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/engine/types.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { stepMessage } from '../../src/slack/blocks/index.js';
import { allText, buttons, checkBlocks } from '../support/block-limits.js';
import { makeRun, makeStep, runWithStep, T0 } from '../support/run-fixture.js';

const approval = (extra = {}) => ({ prompt: 'Go for DNS switch?', approvers: ['dba', 'U0BOSS'], min: 2, allowSelf: false, approvals: [], ...extra });
const ids = (msg: { blocks: unknown[] }) => buttons(msg.blocks).map((b) => b.action_id);

describe('stepMessage', () => {
  it('is terse: "Step 3/9 final-sync done in 6m16s"', () => {
    const steps = Array.from({ length: 9 }, (_, i) => makeStep(i === 2 ? 'final-sync' : `s${i}`));
    steps[2] = makeStep('final-sync', { status: 'done', startedAt: T0, endedAt: T0 + 376_000, summary: 'synced 1.2M rows' });
    const msg = stepMessage(makeRun({ steps }), 'final-sync', T0 + 999_000);
    expect(msg.text).toBe('Step 3/9 final-sync done in 6m16s');
    expect(allText(msg.blocks)).toContain('synced 1.2M rows');
    expect(ids(msg)).toEqual([]);
  });

  it('shows running, failed with error and evidence, and DRY RUN when dry', () => {
    const running = runWithStep(makeStep('copy', { status: 'running', startedAt: T0 }), { dryRun: true });
    expect(stepMessage(running, 'copy', T0 + 5000).text).toBe('[DRY RUN] Step 2/3 copy running');
    const failed = runWithStep(makeStep('copy', { status: 'failed', startedAt: T0, endedAt: T0 + 62_000, error: 'exit 3', evidence: ['HTTP 503 from /health'] }), { status: 'paused', dryRun: true });
    const msg = stepMessage(failed, 'copy', T0);
    expect(msg.text).toBe('[DRY RUN] Step 2/3 copy failed after 1m2s');
    expect(allText(msg.blocks)).toContain('exit 3');
    expect(allText(msg.blocks)).toContain('HTTP 503 from /health');
    expect(allText(msg.blocks)).toContain('DRY RUN');
  });

  it('offers Retry, Skip and Roll back on a failed step only while the run is paused', () => {
    const step = makeStep('copy', { status: 'failed', attempt: 2 });
    expect(ids(stepMessage(runWithStep(step, { status: 'paused' }), 'copy', T0))).toEqual([ACTION_IDS.retry, ACTION_IDS.skip, ACTION_IDS.stepRollback]);
    for (const status of ['failed', 'rolling_back', 'aborted'] as RunStatus[]) {
      expect(ids(stepMessage(runWithStep(step, { status }), 'copy', T0))).toEqual([]);
    }
    const [retry] = buttons(stepMessage(runWithStep(step, { status: 'paused' }), 'copy', T0).blocks);
    expect(JSON.parse(retry!.value as string)).toEqual({ runId: 'r-20261122-abc', stepId: 'copy', attempt: 2 });
  });

  it('shows the prompt, approvers and k/min, with Approve (confirm) and Reject', () => {
    const step = makeStep('go', { status: 'awaiting_approval', approval: approval({ approvals: [{ user: 'U0DBA', at: T0 }] }) });
    const msg = stepMessage(runWithStep(step), 'go', T0);
    const text = allText(msg.blocks);
    expect(msg.text).toBe('Step 2/3 go waiting for approval (1/2)');
    expect(text).toContain('Go for DNS switch?');
    expect(text).toContain('*dba*, <@U0BOSS>');
    expect(text).toContain('Approvals: 1/2');
    expect(text).toContain('Approved by <@U0DBA> at 2026-11-22 13:00 UTC');
    const [approve, reject] = buttons(msg.blocks);
    expect(approve).toMatchObject({ action_id: ACTION_IDS.approve, style: 'primary' });
    expect(approve!.confirm).toBeDefined();
    expect(reject).toMatchObject({ action_id: ACTION_IDS.reject, style: 'danger' });
  });

  it('uses the modal-opening Approve when confirm text is required', () => {
    const step = makeStep('go', { status: 'awaiting_approval', approval: approval({ confirmText: 'orders-prod' }) });
    const msg = stepMessage(runWithStep(step), 'go', T0);
    expect(ids(msg)).toEqual([ACTION_IDS.approveTyped, ACTION_IDS.reject]);
    expect(allText(msg.blocks)).toContain('`orders-prod`');
  });

  it('after the decision shows who decided and when, and no buttons', () => {
    const approved = makeStep('go', { status: 'done', approval: approval({ approvals: [{ user: 'U0A', at: T0 }, { user: 'U0B', at: T0 + 60_000 }] }) });
    const a = stepMessage(runWithStep(approved), 'go', T0);
    expect(allText(a.blocks)).toContain('Approved by <@U0B> at 2026-11-22 13:01 UTC');
    expect(ids(a)).toEqual([]);
    const rejected = makeStep('go', { status: 'awaiting_approval', approval: approval({ rejection: { user: 'U0NO', at: T0 } }) });
    const r = stepMessage(runWithStep(rejected), 'go', T0);
    expect(allText(r.blocks)).toContain('Rejected by <@U0NO>');
    expect(ids(r)).toEqual([]);
  });

  it('shows the note and Run again / Mark done / Roll back for an in-doubt step', () => {
    const step = makeStep('flip', { status: 'in_doubt', note: 'worker died mid-call; check the LB' });
    const msg = stepMessage(runWithStep(step, { status: 'paused' }), 'flip', T0);
    expect(allText(msg.blocks)).toContain('worker died mid-call');
    expect(ids(msg)).toEqual([ACTION_IDS.runAgain, ACTION_IDS.markDone, ACTION_IDS.stepRollback]);
  });

  it('shows a wait countdown, skip decisions and undo progress', () => {
    const wait = makeStep('soak', { status: 'waiting', waitUntil: T0 + 20 * 60_000, startedAt: T0 });
    expect(stepMessage(runWithStep(wait), 'soak', T0 + 16 * 60_000).text).toBe('Step 2/3 soak waiting until 13:20:00 UTC, 4m left');
    const skipped = makeStep('copy', { status: 'skipped', skipped: { user: 'U0S', at: T0, reason: 'done by hand' } });
    expect(allText(stepMessage(runWithStep(skipped), 'copy', T0).blocks)).toContain('Skipped by <@U0S> at 2026-11-22 13:00 UTC: done by hand');
    const undoing = makeStep('copy', { status: 'undoing', undo: { status: 'failed', startedAt: T0, endedAt: T0 + 3000, error: 'restore refused' } });
    expect(allText(stepMessage(runWithStep(undoing), 'copy', T0).blocks)).toMatch(/Undo: undo failed \(3s\).*restore refused/);
  });

  it('keeps the newest output lines, escapes them, and stays within limits', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} <b>&`).join('\n');
    const step = makeStep('copy', { status: 'failed', outputTail: `${lines}\n\`\`\`\nlast line`, error: 'e'.repeat(10_000), evidence: Array(100).fill('x'.repeat(500)), summary: 's'.repeat(5000) });
    const msg = stepMessage(runWithStep(step, { status: 'paused' }), 'copy', T0);
    const output = allText(msg.blocks).split('*Output (last lines)*')[1]!;
    expect(output).toContain('last line');
    expect(output).not.toContain('line 0 ');
    expect(output).not.toContain('<b>');
    expect(output.match(/```/g)).toHaveLength(2);
    expect(checkBlocks(msg.blocks)).toEqual([]);
  });

  it('throws for an unknown step id', () => {
    expect(() => stepMessage(makeRun(), 'nope', T0)).toThrow(/no step "nope"/);
  });
});
