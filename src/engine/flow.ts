// Pure state transitions on a run record. Each returns what must happen after the write
// commits (jobs to enqueue), so the caller can apply it inside RunStore.update.
import type { StepJob } from '../jobs/job-ids.js';
import type { Run, StepState } from './types.js';
import { openWatch } from './watch.js';

export type FollowUp = { jobs: StepJob[]; finished: boolean };

export const none = (): FollowUp => ({ jobs: [], finished: false });

export function stepIndex(run: Run, stepId: string): number {
  const i = run.steps.findIndex((s) => s.id === stepId);
  if (i < 0) throw new Error(`run ${run.id} has no step ${stepId}`);
  return i;
}

export function isTerminal(run: Run): boolean {
  return ['succeeded', 'rehearsed', 'failed', 'aborted', 'rolled_back', 'rollback_failed'].includes(run.status);
}

/** Moves the cursor to the next pending step, or finishes the run. */
export function advance(run: Run, now: number): FollowUp {
  if (run.status !== 'running') return none();
  const next = run.steps.findIndex((s) => s.status === 'pending');
  if (next < 0) {
    if (run.runbook.watch && !run.dryRun && !run.watch) return { jobs: openWatch(run, now), finished: false };
    // A step that failed with on_failure: continue was declared non-critical: the run still succeeds,
    // and the card keeps showing that step as failed.
    // REHEARSAL END STATUS (issue 6 §3): a dry run ends `rehearsed`, never `succeeded`; the card and
    // the thread say how each step took part (src/engine/rehearsal.ts).
    run.status = run.dryRun ? 'rehearsed' : 'succeeded';
    run.endedAt = now;
    return { jobs: [], finished: true };
  }
  run.cursor = next;
  const s = run.steps[next]!;
  return { jobs: [{ kind: 'step', runId: run.id, stepId: s.id, attempt: s.attempt }], finished: false };
}

/** Applies the step's `on_failure` after it failed. */
export function afterFailure(run: Run, step: StepState, now: number, onFailure: 'pause' | 'continue' | 'rollback'): FollowUp {
  if (onFailure === 'continue') return advance(run, now);
  if (onFailure === 'rollback') return beginRollback(run, 'tzero', `step ${step.id} failed (on_failure: rollback)`, now);
  run.status = 'paused';
  return none();
}

/** Starts undoing completed steps, most recently completed first. */
export function beginRollback(run: Run, user: string, reason: string, now: number): FollowUp {
  for (const s of run.steps) {
    if (s.status === 'running' || s.status === 'waiting' || s.status === 'awaiting_approval') {
      s.status = 'aborted';
      s.endedAt = now;
      s.note = 'stopped for rollback';
    }
  }
  const completed = run.steps
    .filter((s) => s.status === 'done' || s.status === 'in_doubt')
    .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
  const undoable = new Set(run.runbook.steps.filter((s) => s.undo).map((s) => s.id));
  for (const s of completed) s.undo = { status: undoable.has(s.id) ? 'pending' : 'none' };
  run.status = 'rolling_back';
  run.rollback = { requestedBy: user, at: now, reason, order: completed.map((s) => s.id), cursor: 0 };
  return advanceRollback(run, now);
}

/** Enqueues the next undo, skipping steps with nothing to undo, or finishes the rollback. */
export function advanceRollback(run: Run, now: number): FollowUp {
  const rb = run.rollback;
  if (!rb || run.status !== 'rolling_back') return none();
  while (rb.cursor < rb.order.length) {
    const s = run.steps.find((x) => x.id === rb.order[rb.cursor])!;
    if (s.undo?.status === 'pending' || s.undo?.status === 'running') {
      return { jobs: [{ kind: 'undo', runId: run.id, stepId: s.id, attempt: s.attempt }], finished: false };
    }
    rb.cursor++;
  }
  run.status = 'rolled_back';
  run.endedAt = now;
  return { jobs: [], finished: true };
}

export function freshAttempt(step: StepState): void {
  step.attempt += 1;
  step.status = 'pending';
  step.error = undefined;
  step.note = undefined;
  step.rehearsal = undefined;
  step.summary = undefined;
  step.evidence = undefined;
  step.outputTail = undefined;
  step.approval = undefined;
  step.waitUntil = undefined;
  step.checkpoints = {};
  step.startedAt = undefined;
  step.endedAt = undefined;
}
