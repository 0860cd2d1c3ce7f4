import { describe, expect, it } from 'vitest';
import { InvalidRunbookError, PermissionDeniedError, PreconditionFailedError } from '../../src/errors.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { md, user } from '../../src/lib/mrkdwn.js';
import {
  errorReply, helpReply, listReply, notifyMessage, rollbackConfirm, rollbackMessage, startedReply, statusReply,
} from '../../src/slack/blocks/index.js';
import { allText, buttons, checkBlocks } from '../support/block-limits.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

describe('rollbackMessage', () => {
  it('lists each step with an undo in undo order and collapses the rest into one line', () => {
    const run = makeRun({
      status: 'rolling_back', dryRun: true,
      steps: [
        makeStep('snapshot', { status: 'undone', undo: { status: 'done', startedAt: T0, endedAt: T0 + 4000, summary: 'snapshot deleted' } }),
        makeStep('notify', { status: 'done', undo: { status: 'none' } }),
        makeStep('flip', { status: 'undoing', undo: { status: 'running', startedAt: T0 } }),
      ],
      rollback: { requestedBy: 'U0RB', at: T0, reason: 'p99 doubled', order: ['flip', 'notify', 'snapshot'], cursor: 0 },
    });
    const msg = rollbackMessage(run, T0 + 10_000);
    const text = allText(msg.blocks);
    expect(msg.text).toContain('[DRY RUN] Rollback of Orders DB cutover');
    expect(text.indexOf('*flip* undoing')).toBeLessThan(text.indexOf('*snapshot* undone'));
    expect(text).not.toContain('*notify*');
    expect(text).toContain('*snapshot* undone · 4s · snapshot deleted');
    expect(text).toContain('Requested by <@U0RB>');
    expect(text).toContain('1/2 undone · 1 step had nothing to undo');
    expect(checkBlocks(msg.blocks)).toEqual([]);
  });

  it('stays valid for 300 steps', () => {
    const steps = Array.from({ length: 300 }, (_, i) => makeStep(`s${i}-${'y'.repeat(200)}`, { status: 'undone', undo: { status: 'done', summary: 'z'.repeat(400) } }));
    const order = steps.map((s) => s.id);
    expect(checkBlocks(rollbackMessage(makeRun({ steps, status: 'rolled_back', rollback: { requestedBy: 'U0RB', at: T0, reason: 'x', order, cursor: 300 } }), T0).blocks)).toEqual([]);
  });
});

describe('replies', () => {
  it('startedReply gives the run id and the card channel', () => {
    const msg = startedReply(makeRun({ dryRun: true }));
    expect(msg.text).toContain('`r-20261122-abc` (DRY RUN)');
    expect(msg.text).toContain('<#C0CUTOVER>');
  });

  it('statusReply shows the current step, or the recent runs when there is no run', () => {
    const run = makeRun({ status: 'paused', cursor: 1, steps: [makeStep('a', { status: 'done' }), makeStep('b', { status: 'failed' })] });
    expect(statusReply(run, [], T0 + 60_000).text).toMatch(/paused, needs a human at step 2\/2 \*b\* \(failed\), 1m, started by <@U0LEAD>/);
    const recent = statusReply(null, [makeRun({ id: 'r-old', status: 'succeeded' })], T0);
    expect(allText(recent.blocks)).toContain('`r-old`');
    expect(statusReply(null, [], T0).text).toMatch(/no recent runs/);
  });

  it('listReply shows invalid runbooks with their error', () => {
    const msg = listReply([
      { name: 'db-cutover', file: 'runbooks/db-cutover.yml', title: 'Orders DB', steps: 9 },
      { name: 'broken', file: 'runbooks/broken.yml', error: 'runbooks/broken.yml:12:5 steps[2].with.url: Required' },
    ]);
    expect(msg.text).toBe('2 runbooks, 1 invalid');
    expect(allText(msg.blocks)).toContain('`broken` (runbooks/broken.yml) is invalid: runbooks/broken.yml:12:5 steps[2].with.url: Required');
    expect(allText(msg.blocks)).toContain('Orders DB · 9 steps');
  });

  it('helpReply names every subcommand', () => {
    for (const sub of ['start', 'status', 'list', 'abort', 'help']) expect(helpReply().text).toContain(`/cutover ${sub}`);
    expect(helpReply().text).toContain('/rollback');
  });

  it('rollbackConfirm is the one confirmation: one danger button, no second dialog, carrying run id and reason', () => {
    const msg = rollbackConfirm(makeRun({ steps: [makeStep('a', { status: 'done' })] }), 'r'.repeat(3000));
    const [b, ...rest] = buttons(msg.blocks);
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ action_id: ACTION_IDS.rollbackConfirm, style: 'danger' });
    expect(b!.confirm).toBeUndefined();
    const value = JSON.parse(b!.value as string);
    expect(value.runId).toBe('r-20261122-abc');
    expect(value.reason.length).toBeLessThanOrEqual(500);
    expect(checkBlocks(msg.blocks)).toEqual([]);
  });

  it('errorReply says why, politely for stale buttons, without internals for bugs', () => {
    expect(errorReply(new PermissionDeniedError('only *dba* may approve'), 'button').text).toBe(":no_entry: You can't do that: only *dba* may approve");
    expect(errorReply(new PreconditionFailedError('step go was approved by <@U1>.'), 'button').text).toBe(':hourglass: This button is out of date: step go was approved by <@U1>.');
    expect(errorReply(new PreconditionFailedError('This button is out of date: x'), 'button').text).toBe(':hourglass: This button is out of date: x');
    expect(errorReply(new PreconditionFailedError('lock orders-db held by <@U2> since 12:00 UTC'), 'command').text).toContain('lock orders-db held by <@U2> since 12:00 UTC');
    expect(errorReply(new InvalidRunbookError('runbook db-cutover is invalid', ['steps[1].with.url: Required'])).text).toContain('• steps[1].with.url: Required');
    const bug = errorReply(new Error('ECONNREFUSED redis://secret@host'));
    expect(bug.text).not.toContain('ECONNREFUSED');
    expect(errorReply(new PermissionDeniedError('<!channel> hi')).text).not.toContain('<!channel>');
  });

  it('notifyMessage keeps mentions and caps length', () => {
    const msg = notifyMessage(md`${user('U1')} ${'a'.repeat(5000)}`);
    expect(msg.text.length).toBe(3000);
    expect(msg.text.startsWith('<@U1>')).toBe(true);
    expect(checkBlocks(msg.blocks)).toEqual([]);
  });
});
