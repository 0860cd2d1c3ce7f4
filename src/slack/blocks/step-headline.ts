// The first line of a step's thread message, also its notification text:
// "Step 3/9 final-sync done in 6m16s".
import type { Run, StepState } from '../../engine/types.js';
import { countdown, stepDuration, stepLabel } from './labels.js';

export function stepPosition(run: Run, stepId: string): { step: StepState; index: number } {
  const index = run.steps.findIndex((s) => s.id === stepId);
  if (index < 0) throw new Error(`run ${run.id} has no step "${stepId}"`);
  return { step: run.steps[index]!, index };
}

function stateText(step: StepState, now: number): string {
  const duration = stepDuration(step, now);
  switch (step.status) {
    case 'done':
      if (step.rehearsal === 'described') return 'described';
      return duration ? `done in ${duration}` : 'done';
    case 'failed':
      return duration ? `failed after ${duration}` : 'failed';
    case 'waiting':
      return step.waitUntil !== undefined ? `waiting ${countdown(step.waitUntil, now)}` : 'waiting';
    case 'awaiting_approval': {
      const a = step.approval;
      if (a?.rejection) return 'rejected';
      return a ? `waiting for approval (${a.approvals.length}/${a.min})` : 'waiting for approval';
    }
    case 'undone':
      return step.undo?.endedAt !== undefined && step.undo.startedAt !== undefined
        ? `undone (undo took ${stepDuration({ ...step, startedAt: step.undo.startedAt, endedAt: step.undo.endedAt }, now)})`
        : 'undone';
    default:
      return stepLabel(step).label;
  }
}

export function stepHeadline(run: Run, step: StepState, index: number, now: number): string {
  const dry = run.dryRun ? '[DRY RUN] ' : '';
  return `${dry}Step ${index + 1}/${run.steps.length} ${step.id} ${stateText(step, now)}`;
}
