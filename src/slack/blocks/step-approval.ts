// The approval part of a step's thread message: prompt, approvers, k/min, decisions, buttons.
import type { ApprovalState, Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { button, cut, cutMd, md, mdJoin, section, user, type Button, type KnownBlock, type Mrkdwn } from './kit.js';
import { stamp } from './labels.js';
import { stepRefValue } from './values.js';

/** A Slack user id renders as a mention, a role name as itself in bold. */
export function principal(p: string): Mrkdwn {
  return /^[UW][A-Z0-9]+$/.test(p) ? user(p) : md`*${p}*`;
}

export function approvalBlocks(approval: ApprovalState): KnownBlock[] {
  const lines = [
    md`*Approval needed:* ${cut(approval.prompt, 1500)}`,
    md`Approvers: ${cutMd(mdJoin(approval.approvers.map(principal), ', '), 600)}${approval.allowSelf ? '' : ' (not the person who started the run)'}`,
    md`Approvals: ${approval.approvals.length}/${approval.min}`,
  ];
  if (approval.confirmText) lines.push(md`Approving asks you to type \`${cut(approval.confirmText, 100)}\``);
  if (approval.expiresAt !== undefined) lines.push(md`Expires at ${stamp(approval.expiresAt)}`);
  for (const a of approval.approvals.slice(0, 10)) lines.push(md`:white_check_mark: Approved by ${user(a.user)} at ${stamp(a.at)}`);
  if (approval.rejection) lines.push(md`:x: Rejected by ${user(approval.rejection.user)} at ${stamp(approval.rejection.at)}`);
  return [section(mdJoin(lines))];
}

export function approvalButtons(run: Run, step: StepState): Button[] {
  const a = step.approval;
  // Checklists and reviews render their own buttons (step-checklist.ts, step-review.ts).
  if (!a || a.rejection || a.checklist || a.review || step.status !== 'awaiting_approval') return [];
  if (run.status !== 'running' && run.status !== 'paused') return [];
  const value = stepRefValue({ runId: run.id, stepId: step.id, attempt: step.attempt });
  const approve = a.confirmText
    ? button({ actionId: ACTION_IDS.approveTyped, text: 'Approve', style: 'primary', value })
    : button({
        actionId: ACTION_IDS.approve, text: 'Approve', style: 'primary', value,
        confirm: { title: `Approve ${step.id}?`, text: cut(a.prompt, 300), confirm: 'Approve' },
      });
  const reject = button({
    actionId: ACTION_IDS.reject, text: 'Reject', style: 'danger', value,
    confirm: { title: `Reject ${step.id}?`, text: 'The step fails and the run pauses.', confirm: 'Reject' },
  });
  return [approve, reject];
}
