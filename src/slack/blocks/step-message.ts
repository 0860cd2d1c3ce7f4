// A step's thread message: posted when the step starts, edited when it ends.
import type { Run, StepState } from '../../engine/types.js';
import { actions, codeBlock, context, cut, cutMd, LIMITS, md, mdJoin, section, user, type KnownBlock, type Mrkdwn, type SlackMessage } from './kit.js';
import { plainWithOwnChannels } from './own-channels.js';
import { stamp, stepDuration, stepLabel, UNDO_LABEL } from './labels.js';
import { approvalBlocks, approvalButtons } from './step-approval.js';
import { checklistBlocks } from './step-checklist.js';
import { reviewBlocks } from './step-review.js';
import { recoveryButtons } from './step-buttons.js';
import { stepHeadline, stepPosition } from './step-headline.js';

const OUTPUT_MAX = 2500;

// Summaries, evidence, output, errors and notes are plain text (they carry what targets said):
// escaped, so a `<!channel>` or `<@U…>` in a response or a log line is shown, never sent.
function bodyBlocks(run: Run, step: StepState): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (step.summary) blocks.push(section(plainWithOwnChannels(step.summary, run)));
  if (step.evidence?.length) {
    const shown = step.evidence.slice(0, 20).map((e) => md`• ${cut(e, 300)}`);
    if (step.evidence.length > 20) shown.push(md`_… ${step.evidence.length - 20} more_`);
    blocks.push(section(md`*Evidence*\n${mdJoin(shown)}`));
  }
  if (step.outputTail) blocks.push(section(md`*Output (last lines)*\n${codeBlock(step.outputTail, OUTPUT_MAX)}`));
  if (step.error) blocks.push(section(md`*Error:* ${cut(step.error, 2500)}`));
  if (step.note) blocks.push(section(md`*Note:* ${cut(step.note, 2500)}`));
  if (step.skipped) {
    const s = step.skipped;
    blocks.push(section(md`Skipped by ${user(s.user)} at ${stamp(s.at)}: ${cut(s.reason, 2000)}`));
  }
  return blocks;
}

function undoLine(step: StepState, now: number): Mrkdwn | null {
  const u = step.undo;
  if (!u) return null;
  const took = u.startedAt !== undefined ? stepDuration({ ...step, startedAt: u.startedAt, endedAt: u.endedAt }, now) : '';
  const parts = [md`Undo: ${UNDO_LABEL[u.status]}${took && u.status !== 'none' ? ` (${took})` : ''}`];
  if (u.summary) parts.push(md`${cut(u.summary, 800)}`);
  if (u.error) parts.push(md`error: ${cut(u.error, 1500)}`);
  return mdJoin(parts, ' · ');
}

export function stepMessage(run: Run, stepId: string, now: number): SlackMessage {
  const { step, index } = stepPosition(run, stepId);
  const headline = stepHeadline(run, step, index, now);
  const title = step.name && step.name !== step.id ? md` · ${step.name}` : md``;
  const blocks: KnownBlock[] = [
    section(md`${stepLabel(step).emoji} *${headline}*${title}`),
    ...bodyBlocks(run, step),
  ];
  if (step.approval?.checklist || step.undo?.human?.checklist) blocks.push(...checklistBlocks(run, step));
  else if (step.approval?.review) blocks.push(...reviewBlocks(run, step));
  else if (step.approval) blocks.push(...approvalBlocks(step.approval));
  const undo = undoLine(step, now);
  if (undo) blocks.push(context(undo));
  const buttons = [...approvalButtons(run, step), ...recoveryButtons(run, step)];
  if (buttons.length) blocks.push(actions(`step_actions_${cut(step.id, 200)}`, buttons));
  blocks.push(context(md`Run \`${cut(run.id, 200)}\` · attempt ${step.attempt}${run.dryRun ? ' · DRY RUN' : ''}`));
  return { text: cutMd(md`${headline}`, LIMITS.fallbackText).text, blocks };
}
