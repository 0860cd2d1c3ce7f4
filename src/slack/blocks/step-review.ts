// A reviewed notify's part of its thread message: the draft, who reviews it, holds so far,
// and Send / Edit / Hold while it waits; once sent, the text as sent and who sent it.
import type { Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, cut, section, user, type KnownBlock } from './kit.js';
import { stamp } from './labels.js';
import { principal } from './step-approval.js';
import { stepRefValue } from './values.js';

/** The text is the runbook's mrkdwn (or a reviewer's), shown as it will be posted, quoted. */
const quote = (text: string) => cut(text, 2500).split('\n').map((l) => `>${l}`).join('\n');

export function reviewBlocks(run: Run, step: StepState): KnownBlock[] {
  const a = step.approval;
  if (!a?.review) return [];
  const where = a.review.channel ? `<#${a.review.channel}>` : 'this thread';
  const reviewers = a.approvers.flatMap((p) => run.runbook.roles[p]?.map(user) ?? [principal(p)]).join(' ');
  const lines: string[] = [];
  if (a.sent) {
    lines.push(`*Sent to ${where}* by ${user(a.sent.user)} at ${stamp(a.sent.at)}${a.sent.edited ? ' (edited)' : ''}:`, quote(a.sent.text));
  } else {
    lines.push(`*Draft for ${where}*, for review by ${cut(reviewers, 600)}:`, quote(a.review.text));
  }
  for (const h of (a.holds ?? []).slice(-5)) lines.push(`:double_vertical_bar: Held by ${user(h.user)} at ${stamp(h.at)}`);
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  const live = step.status === 'awaiting_approval' && !a.sent && (run.status === 'running' || run.status === 'paused');
  if (live) {
    const value = stepRefValue({ runId: run.id, stepId: step.id, attempt: step.attempt });
    blocks.push(actions(`review_${cut(step.id, 200)}`, [
      button({ actionId: ACTION_IDS.reviewSend, text: 'Send', style: 'primary', value, confirm: { title: 'Send this message?', text: `It is posted in ${a.review.channel ? 'the channel' : 'the run thread'} as written.`, confirm: 'Send' } }),
      button({ actionId: ACTION_IDS.reviewEdit, text: 'Edit', value }),
      button({ actionId: ACTION_IDS.reviewHold, text: 'Hold', value }),
    ]));
  }
  return blocks;
}
