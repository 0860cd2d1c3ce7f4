// How states read on the card and in the thread: one emoji and one word or two each.
import { rehearsalSummary } from '../../engine/rehearsal.js';
import type { Run, RunStatus, StepState, StepStatus } from '../../engine/types.js';
import { formatDuration } from '../../runbooks/duration.js';

export const STEP_LABEL: Record<StepStatus, { emoji: string; label: string }> = {
  pending: { emoji: ':white_circle:', label: 'pending' },
  running: { emoji: ':arrows_counterclockwise:', label: 'running' },
  waiting: { emoji: ':hourglass_flowing_sand:', label: 'waiting' },
  awaiting_approval: { emoji: ':raised_hand:', label: 'waiting for approval' },
  done: { emoji: ':white_check_mark:', label: 'done' },
  failed: { emoji: ':x:', label: 'failed' },
  skipped: { emoji: ':fast_forward:', label: 'skipped' },
  in_doubt: { emoji: ':grey_question:', label: 'in doubt' },
  aborted: { emoji: ':no_entry_sign:', label: 'aborted' },
  undoing: { emoji: ':rewind:', label: 'undoing' },
  undo_waiting: { emoji: ':raised_hand:', label: 'undo waits for a human' },
  undone: { emoji: ':leftwards_arrow_with_hook:', label: 'undone' },
  undo_failed: { emoji: ':bangbang:', label: 'undo failed' },
  undo_skipped: { emoji: ':warning:', label: 'still applied (undo skipped)' },
};

export const RUN_LABEL: Record<RunStatus, { emoji: string; label: string }> = {
  planned: { emoji: ':calendar:', label: 'Planned' },
  cancelled: { emoji: ':no_entry_sign:', label: 'Cancelled' },
  after_window: { emoji: ':hourglass_flowing_sand:', label: 'Window closed, after-window steps scheduled' },
  running: { emoji: ':arrows_counterclockwise:', label: 'running' },
  paused: { emoji: ':double_vertical_bar:', label: 'paused, needs a human' },
  watching: { emoji: ':eyes:', label: 'watching (rollback window open)' },
  succeeded: { emoji: ':white_check_mark:', label: 'succeeded' },
  rehearsed: { emoji: ':performing_arts:', label: 'rehearsed' },
  failed: { emoji: ':x:', label: 'failed' },
  aborted: { emoji: ':no_entry_sign:', label: 'aborted' },
  rolling_back: { emoji: ':rewind:', label: 'rolling back' },
  rollback_paused: { emoji: ':double_vertical_bar:', label: 'rollback paused, an undo needs a human' },
  rolled_back: { emoji: ':leftwards_arrow_with_hook:', label: 'rolled back' },
  partially_rolled_back: { emoji: ':warning:', label: 'partially rolled back' },
  rollback_failed: { emoji: ':bangbang:', label: 'rollback failed' },
};

/** A run's label: a finished rehearsal says how each step took part, never a bare "succeeded" (issue 6 §3). */
export function runLabel(run: Run): { emoji: string; label: string } {
  return run.status === 'rehearsed' ? { ...RUN_LABEL.rehearsed, label: rehearsalSummary(run) } : RUN_LABEL[run.status];
}

/** A step's label, telling in a dry run what was only described or could not be rehearsed. */
export function stepLabel(step: StepState): { emoji: string; label: string } {
  if (step.rehearsal === 'not_rehearsed') return { emoji: ':see_no_evil:', label: 'not rehearsed' };
  if (step.rehearsal === 'described' && step.status === 'done') return { emoji: ':memo:', label: 'described' };
  return STEP_LABEL[step.status];
}

/** "6m16s" for a finished step, the time so far for a running one, "" when not started. */
export function stepDuration(step: StepState, now: number): string {
  if (step.startedAt === undefined) return '';
  return formatDuration((step.endedAt ?? now) - step.startedAt);
}

/** "13:20:00 UTC" */
export function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** "2026-11-22 13:20 UTC" */
export function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "until 13:20:00 UTC, 4m left" for a wait step. */
export function countdown(until: number, now: number): string {
  const left = until - now;
  return `until ${clock(until)}, ${left > 0 ? `${formatDuration(left)} left` : 'due now'}`;
}

export const UNDO_LABEL: Record<NonNullable<StepState['undo']>['status'], string> = {
  pending: 'undo pending',
  running: 'undoing',
  waiting: 'waits for a human to confirm it is undone',
  done: 'undone',
  failed: 'undo failed',
  skipped: 'undo skipped: still applied',
  none: 'nothing to undo',
};
