// A step's thread message: posted when the step starts, edited when it ends.
import type { Run, StepState } from '../../engine/types.js';
import { actions, codeBlock, context, cut, esc, LIMITS, section, user, type KnownBlock, type SlackMessage } from './kit.js';
import { stamp, STEP_LABEL, stepDuration, UNDO_LABEL } from './labels.js';
import { approvalBlocks, approvalButtons } from './step-approval.js';
import { checklistBlocks } from './step-checklist.js';
import { reviewBlocks } from './step-review.js';
import { recoveryButtons } from './step-buttons.js';
import { stepHeadline, stepPosition } from './step-headline.js';

const OUTPUT_MAX = 2500;

function bodyBlocks(step: StepState): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (step.summary) blocks.push(section(esc(step.summary)));
  if (step.evidence?.length) {
    const shown = step.evidence.slice(0, 20).map((e) => `• ${esc(cut(e, 300))}`);
    if (step.evidence.length > 20) shown.push(`_… ${step.evidence.length - 20} more_`);
    blocks.push(section(`*Evidence*\n${shown.join('\n')}`));
  }
  if (step.outputTail) blocks.push(section(`*Output (last lines)*\n${codeBlock(step.outputTail, OUTPUT_MAX)}`));
  if (step.error) blocks.push(section(`*Error:* ${esc(cut(step.error, 2500))}`));
  if (step.note) blocks.push(section(`*Note:* ${esc(cut(step.note, 2500))}`));
  if (step.skipped) {
    const s = step.skipped;
    blocks.push(section(`Skipped by ${user(s.user)} at ${stamp(s.at)}: ${esc(cut(s.reason, 2000))}`));
  }
  return blocks;
}

function undoLine(step: StepState, now: number): string | null {
  const u = step.undo;
  if (!u) return null;
  const took = u.startedAt !== undefined ? stepDuration({ ...step, startedAt: u.startedAt, endedAt: u.endedAt }, now) : '';
  const parts = [`Undo: ${UNDO_LABEL[u.status]}${took && u.status !== 'none' ? ` (${took})` : ''}`];
  if (u.summary) parts.push(esc(cut(u.summary, 800)));
  if (u.error) parts.push(`error: ${esc(cut(u.error, 1500))}`);
  return parts.join(' · ');
}

export function stepMessage(run: Run, stepId: string, now: number): SlackMessage {
  const { step, index } = stepPosition(run, stepId);
  const headline = stepHeadline(run, step, index, now);
  const title = step.name && step.name !== step.id ? ` · ${esc(step.name)}` : '';
  const blocks: KnownBlock[] = [
    section(`${STEP_LABEL[step.status].emoji} *${esc(headline)}*${title}`),
    ...bodyBlocks(step),
  ];
  if (step.approval?.checklist || step.undo?.human?.checklist) blocks.push(...checklistBlocks(run, step));
  else if (step.approval?.review) blocks.push(...reviewBlocks(run, step));
  else if (step.approval) blocks.push(...approvalBlocks(step.approval));
  const undo = undoLine(step, now);
  if (undo) blocks.push(context(undo));
  const buttons = [...approvalButtons(run, step), ...recoveryButtons(run, step)];
  if (buttons.length) blocks.push(actions(`step_actions_${cut(step.id, 200)}`, buttons));
  blocks.push(context(`Run \`${esc(cut(run.id, 200))}\` · attempt ${step.attempt}${run.dryRun ? ' · DRY RUN' : ''}`));
  return { text: cut(esc(headline), LIMITS.fallbackText), blocks };
}
