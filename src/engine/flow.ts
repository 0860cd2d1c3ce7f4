// State transitions on a run record that involve more than one step: moving to the next
// step, pausing, and planning / advancing a rollback. Statuses change only through the state
// machine (moveRun / moveStep). Each returns what must happen after the write commits (jobs
// to enqueue, whether the run ended), so the caller can apply it inside RunStore.update.
import type { StepJob } from '../jobs/job-ids.js';
import type { AttemptRecord, Run, RunStatus, StepState } from './types.js';
import { hasUndo, rollbackPlan, stillApplied } from './rollback-plan.js';
import { moveRun, moveStep, planUndo, TERMINAL_RUN, type Effect } from './state-machine.js';
import { openWatch } from './watch.js';

export type FollowUp = { jobs: StepJob[]; finished: boolean };

export const none = (): FollowUp => ({ jobs: [], finished: false });
const ended = (effects: Effect[]): boolean => effects.some((e) => e.kind === 'ended');

export function stepIndex(run: Run, stepId: string): number {
  const i = run.steps.findIndex((s) => s.id === stepId);
  if (i < 0) throw new Error(`run ${run.id} has no step ${stepId}`);
  return i;
}

export function isTerminal(run: Run): boolean {
  return TERMINAL_RUN.includes(run.status);
}

/** A timed step waits for its due time (a delayed `due` job); others start at once. */
function startJob(run: Run, s: StepState): StepJob {
  if (run.plan && s.due !== undefined) return { kind: 'due', runId: run.id, stepId: s.id, gen: run.plan.gen, at: s.due };
  return { kind: 'step', runId: run.id, stepId: s.id, attempt: s.attempt };
}

/** Moves the cursor to the next pending step, or finishes the run. */
export function advance(run: Run, now: number): FollowUp {
  if (run.status === 'after_window') return advanceAfterWindow(run, now);
  if (run.status !== 'running' && run.status !== 'planned') return none();
  // A dry run rehearses the after-window steps in line; a live run keeps them for after the window.
  const next = run.steps.findIndex((s) => s.status === 'pending' && (run.dryRun || !s.afterWindow));
  if (next < 0) {
    if (run.status === 'planned') return none();
    if (run.runbook.watch && !run.dryRun && !run.watch) return { jobs: openWatch(run, now), finished: false };
    // A step that failed with on_failure: continue was declared non-critical: the run still succeeds,
    // and the card keeps showing that step as failed.
    // REHEARSAL END STATUS (issue 6 §3): a dry run ends `rehearsed` (state machine: `complete` with
    // dryRun), never `succeeded`; the card and the thread say how each step took part (src/engine/rehearsal.ts).
    // A live run with after-window steps still to run goes to `after_window` (issue #7).
    const afterWindow = run.steps.some((s) => s.afterWindow && s.status === 'pending');
    const effects = moveRun(run, { type: 'complete', dryRun: run.dryRun, afterWindow }, now);
    if ((run.status as RunStatus) === 'after_window') return advanceAfterWindow(run, now);
    return { jobs: [], finished: ended(effects) };
  }
  run.cursor = next;
  return { jobs: [startJob(run, run.steps[next]!)], finished: false };
}

/** After the window: the next after-window step (on its date), or the run ends. */
export function advanceAfterWindow(run: Run, now: number): FollowUp {
  const next = run.steps.findIndex((s) => s.status === 'pending' && s.afterWindow);
  if (next < 0) return { jobs: [], finished: ended(moveRun(run, { type: 'finish_after' }, now)) };
  run.cursor = next;
  return { jobs: [startJob(run, run.steps[next]!)], finished: false };
}

/** Applies the step's `on_failure` after it failed. */
export function afterFailure(run: Run, step: StepState, now: number, onFailure: 'pause' | 'continue' | 'rollback'): FollowUp {
  if (onFailure === 'continue') return advance(run, now);
  if (onFailure === 'rollback') return beginRollback(run, 'tzero', `step ${step.id} failed (on_failure: rollback)`, now);
  moveRun(run, { type: 'pause' }, now);
  return none();
}

/** Starts undoing completed steps, most recently completed first (only those after `to`). */
export function beginRollback(run: Run, user: string, reason: string, now: number, to?: string): FollowUp {
  const order = rollbackPlan(run, to);
  for (const s of run.steps) {
    if (s.status === 'running' || s.status === 'waiting' || s.status === 'awaiting_approval') {
      moveStep(s, { type: 'abort' }, now);
      s.note = 'stopped for rollback';
    }
  }
  for (const s of order) planUndo(s, hasUndo(run, s.id));
  // A rollback that comes first cancels the after-window steps (TTL restore, decommission…).
  for (const s of run.steps) {
    if (s.afterWindow && s.status === 'pending') {
      moveStep(s, { type: 'cancel' }, now);
      s.note = 'cancelled: the run was rolled back before it was due';
    }
  }
  moveRun(run, { type: 'rollback' }, now);
  run.rollback = { requestedBy: user, at: now, reason, order: order.map((s) => s.id), cursor: 0, ...(to ? { to } : {}) };
  return advanceRollback(run, now);
}

export function undoJob(run: Run, s: StepState): StepJob {
  return { kind: 'undo', runId: run.id, stepId: s.id, attempt: s.attempt, undoAttempt: (s.undo?.attempt ?? 0) + (s.status === 'undoing' ? 0 : 1) };
}

/** Enqueues the next undo, skipping steps with nothing to undo, or finishes the rollback. */
export function advanceRollback(run: Run, now: number): FollowUp {
  const rb = run.rollback;
  if (!rb || run.status !== 'rolling_back') return none();
  while (rb.cursor < rb.order.length) {
    const s = run.steps.find((x) => x.id === rb.order[rb.cursor])!;
    if (s.undo?.status === 'pending' || s.undo?.status === 'running') return { jobs: [undoJob(run, s)], finished: false };
    if (s.undo?.status === 'waiting') return none(); // a human confirms this undo
    rb.cursor++;
  }
  const left = stillApplied(run);
  const undoFailed = left.some((s) => s.undo?.status === 'failed' || (s.undo?.status === 'skipped' && s.undo.error !== undefined));
  return { jobs: [], finished: ended(moveRun(run, { type: 'finish_rollback', stillApplied: left.length, undoFailed }, now)) };
}

/** Resets a step for a fresh attempt (a retry, automatic or by a human). */
export function freshAttempt(step: StepState, now: number): void {
  // The attempt that ends here stays on record: a retry must not erase its error and evidence.
  const { attempt, status, startedAt, endedAt, summary, evidence, error, note, approval } = step;
  const facts = (step as { facts?: Record<string, unknown> }).facts;
  // An automatic retry closes an attempt that failed without the step ever showing `failed`.
  const ended = error !== undefined && status === 'running' ? 'failed' : status;
  const kept = { attempt, status: ended, startedAt, endedAt: endedAt ?? now, summary, evidence, error, note, approval, facts };
  step.attempts = [...(step.attempts ?? []), Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined)) as unknown as AttemptRecord];
  moveStep(step, { type: 'retry' }, now);
  step.attempt += 1;
  step.error = undefined;
  step.note = undefined;
  step.rehearsal = undefined;
  step.summary = undefined;
  step.evidence = undefined;
  step.facts = undefined;
  step.outputTail = undefined;
  step.approval = undefined;
  step.waitUntil = undefined;
  step.checkpoints = {};
  step.startedAt = undefined;
  step.endedAt = undefined;
}
