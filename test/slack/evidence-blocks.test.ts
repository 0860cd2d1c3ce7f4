// Pure builders of checklist and review messages: within Slack's limits at the largest sizes,
// buttons only while the step waits, and outside text escaped.
import { describe, expect, it } from 'vitest';
import type { ApprovalState } from '../../src/engine/types.js';
import { stepMessage } from '../../src/slack/blocks/index.js';
import { checklistNoteModal, naReasonModal, reviewEditModal } from '../../src/slack/blocks/evidence-modals.js';
import { allText, buttons, checkBlocks } from '../support/block-limits.js';
import { makeStep, runWithStep, T0 } from '../support/run-fixture.js';

const items = Array.from({ length: 20 }, (_, i) => ({ id: `item-${i}`.padEnd(60, 'x'), text: '<!channel> & check '.repeat(30), owner: 'dba', required: i > 0 }));
const checklist = (extra: Partial<ApprovalState> = {}): ApprovalState => ({
  prompt: 'Checklist: 20 items', approvers: ['dba', 'lead'], min: 1, allowSelf: true, approvals: [],
  checklist: { items, noteRequired: true }, ...extra,
});
const ids = (blocks: unknown[]) => buttons(blocks).map((b) => b.action_id);

describe('checklist message', () => {
  it('fits 20 long items with their buttons in one message, and escapes item text', () => {
    const run = runWithStep(makeStep('pre', { status: 'awaiting_approval', uses: 'checklist', approval: checklist() }));
    const msg = stepMessage(run, 'pre', T0);
    expect(checkBlocks(msg.blocks)).toEqual([]);
    expect(ids(msg.blocks).filter((a) => a === 'checklist_done')).toHaveLength(20);
    expect(allText(msg.blocks)).not.toContain('<!channel>');
    expect(allText(msg.blocks)).toContain('&lt;!channel&gt; &amp; check');
  });

  it('shows who ticked what, with the N/A reason, and no buttons once decided', () => {
    const ticks = { [items[0]!.id]: { user: 'U0DBA', at: T0, state: 'na' as const, note: 'not <b>needed</b>' } };
    const waiting = runWithStep(makeStep('pre', { status: 'awaiting_approval', uses: 'checklist', approval: checklist({ ticks }) }));
    const msg = stepMessage(waiting, 'pre', T0);
    expect(ids(msg.blocks).filter((a) => a === 'checklist_na')).toHaveLength(19);
    expect(allText(msg.blocks)).toContain('N/A by <@U0DBA>');
    expect(allText(msg.blocks)).toContain('not &lt;b&gt;needed&lt;/b&gt;');
    const done = runWithStep(makeStep('pre', { status: 'done', uses: 'checklist', approval: checklist({ ticks }) }));
    expect(ids(stepMessage(done, 'pre', T0).blocks)).toEqual([]);
  });

  it('modals carry the item in private_metadata and stay within limits', () => {
    const run = runWithStep(makeStep('pre', { status: 'awaiting_approval', uses: 'checklist', approval: checklist() }));
    const step = run.steps.find((s) => s.id === 'pre')!;
    for (const view of [checklistNoteModal(run, step, items[3]!.id, 'C0CUTOVER'), naReasonModal(run, step, items[3]!.id)]) {
      expect(JSON.parse(view.private_metadata!)).toMatchObject({ runId: run.id, stepId: 'pre', item: items[3]!.id });
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(checkBlocks(view.blocks, 100)).toEqual([]);
    }
  });
});

describe('review message', () => {
  const review = (extra: Partial<ApprovalState> = {}): ApprovalState => ({
    prompt: 'Review', approvers: ['comms'], min: 1, allowSelf: true, approvals: [], review: { text: 'We are *live*\nsecond line', channel: 'C0ANNOUNCE' }, ...extra,
  });

  it('shows the draft quoted, the reviewers, holds, and Send / Edit / Hold while waiting', () => {
    const run = runWithStep(makeStep('announce', { status: 'awaiting_approval', uses: 'notify', approval: review({ holds: [{ user: 'U0COMMS', at: T0 }] }) }));
    run.runbook.roles.comms = ['U0COMMS'];
    const msg = stepMessage(run, 'announce', T0);
    expect(checkBlocks(msg.blocks)).toEqual([]);
    expect(ids(msg.blocks)).toEqual(['review_send', 'review_edit', 'review_hold']);
    const text = allText(msg.blocks);
    expect(text).toContain('>We are *live*\n>second line');
    expect(text).toContain('for review by <@U0COMMS>');
    expect(text).toContain('Held by <@U0COMMS>');
    const view = reviewEditModal(run, run.steps.find((s) => s.id === 'announce')!);
    expect(JSON.stringify(view.blocks)).toContain('We are *live*\\nsecond line');
  });

  it('once sent shows the text as sent and who sent it, without buttons', () => {
    const sent = review({ sent: { user: 'U0COMMS', at: T0, text: 'Edited text', edited: true } });
    const msg = stepMessage(runWithStep(makeStep('announce', { status: 'done', uses: 'notify', approval: sent })), 'announce', T0);
    expect(ids(msg.blocks)).toEqual([]);
    expect(allText(msg.blocks)).toContain('by <@U0COMMS>');
    expect(allText(msg.blocks)).toContain('(edited)');
    expect(allText(msg.blocks)).toContain('>Edited text');
  });
});
