// A reviewed notify's part of its thread message: the draft, who reviews it, holds so far,
// and Send / Edit / Hold while it waits; once sent, the text as sent and who sent it.
import type { Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, channel, cut, cutMd, md, mdJoin, section, trustStored, user, type KnownBlock, type Mrkdwn } from './kit.js';
import { stamp } from './labels.js';
import { principal } from './step-approval.js';
import { stepRefValue } from './values.js';

/** The text is the runbook's mrkdwn (or a reviewer's), shown as it will be posted, quoted. */
// The stored text was composed by tzero (notify-text.ts) before it was saved: trusted mrkdwn.
const quote = (text: string) => trustStored(cut(text, 2500).split('\n').map((l) => `>${l}`).join('\n'));

export function reviewBlocks(run: Run, step: StepState): KnownBlock[] {
  const a = step.approval;
  if (!a?.review) return [];
  const where = a.review.channel ? channel(a.review.channel) : md`this thread`;
  const reviewers = mdJoin(a.approvers.flatMap((p) => run.runbook.roles[p]?.map(user) ?? [principal(p)]), ' ');
  const lines: Mrkdwn[] = [];
  if (a.sent) {
    lines.push(md`*Sent to ${where}* by ${user(a.sent.user)} at ${stamp(a.sent.at)}${a.sent.edited ? ' (edited)' : ''}:`, quote(a.sent.text));
  } else {
    lines.push(md`*Draft for ${where}*, for review by ${cutMd(reviewers, 600)}:`, quote(a.review.text));
  }
  for (const h of (a.holds ?? []).slice(-5)) lines.push(md`:double_vertical_bar: Held by ${user(h.user)} at ${stamp(h.at)}`);
  const blocks: KnownBlock[] = [section(mdJoin(lines))];
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
