// The one place run and step statuses change (conventions §16). `transition` is pure: a
// (state, event) pair gives the next state plus effects, or a refusal that names the pair.
// `moveRun` / `moveStep` apply a transition to an in-memory record (no Redis, Slack or
// BullMQ); the callers write the record and carry out the effects. The card, the report and
// the metrics read these same states, so an illegal move cannot make them disagree.
import type { RunStatus, StepState, StepStatus, UndoStatus } from './types.js';

export type RunEvent =
  | { type: 'begin' } // a planned run: its first due step starts, or T-0 is reached
  | { type: 'cancel' } // a plan cancelled before T-0
  | { type: 'finish_after' } // the last after-window step ended
  | { type: 'pause' } // a step failed or is in doubt: a human decides
  | { type: 'resume' } // retry, skip or mark done
  // every step ended; `afterWindow`: after-window steps are still to run
  | { type: 'complete'; dryRun: boolean; afterWindow?: boolean }
  | { type: 'open_watch' }
  | { type: 'close_watch'; afterWindow?: boolean } // the rollback window ran out, all clear
  | { type: 'abort' }
  | { type: 'rollback' }
  | { type: 'pause_rollback' } // an undo failed: a human decides
  | { type: 'resume_rollback' } // retry / skip / mark undone by hand
  // `stillApplied`: completed steps with an undo that are not undone; `undoFailed`: one of
  // them is still applied because its undo failed (not because the rollback stopped short).
  | { type: 'finish_rollback'; stillApplied: number; undoFailed: boolean };

export type StepEvent =
  | { type: 'start' }
  | { type: 'wait' }
  | { type: 'await_approval' }
  | { type: 'finish' } // the step did its work (or described it in a dry run)
  | { type: 'approve' }
  | { type: 'mark_done' } // in doubt after a restart; a human says it took effect
  | { type: 'fail' }
  | { type: 'in_doubt' }
  | { type: 'abort' }
  | { type: 'skip_condition' } // `if:` was false
  | { type: 'skip' } // skipped by a human
  | { type: 'cancel' } // not started: its plan was cancelled, or a rollback came first
  | { type: 'retry' } // a fresh attempt (automatic or by a human)
  | { type: 'undo_start' }
  | { type: 'undo_wait_human' } // a manual undo: a human confirms it is undone
  | { type: 'undo_done' }
  | { type: 'undo_fail' }
  | { type: 'undo_skip' } // a human leaves it applied (with a reason)
  | { type: 'mark_undone' }; // a human undid it by hand (with a reason)

export type Effect =
  | { kind: 'ended' } // stamp endedAt; for a run: release its lock, end its silences
  | { kind: 'reopened' } // a finished run is active again (rollback): clear endedAt, reactivate
  | { kind: 'started' }; // stamp startedAt (first time only)

export type Transition<S> = { ok: true; state: S; effects: Effect[] } | { ok: false; reason: string };

export const RUN_STATUSES = [
  'planned', 'cancelled', 'after_window', 'running', 'paused', 'watching', 'succeeded', 'rehearsed', 'failed', 'aborted',
  'rolling_back', 'rollback_paused', 'rolled_back', 'partially_rolled_back', 'rollback_failed',
] as const satisfies readonly RunStatus[];

export const STEP_STATUSES = [
  'pending', 'running', 'waiting', 'awaiting_approval', 'done', 'failed', 'skipped', 'in_doubt', 'aborted',
  'undoing', 'undo_waiting', 'undone', 'undo_failed', 'undo_skipped',
] as const satisfies readonly StepStatus[];

/** A run is created running (a timed one planned), its steps pending. */
export const INITIAL_RUN: RunStatus = 'running';
export const INITIAL_PLANNED_RUN: RunStatus = 'planned';
export const INITIAL_STEP: StepStatus = 'pending';

export const TERMINAL_RUN: readonly RunStatus[] = ['cancelled', 'succeeded', 'rehearsed', 'failed', 'aborted', 'rolled_back', 'partially_rolled_back', 'rollback_failed'];

/** A step that changed something that may still be in place (a rollback candidate). */
export const APPLIED_STEP: readonly StepStatus[] = ['done', 'in_doubt', 'undo_failed', 'undo_skipped'];

const ROLLBACK_FROM: RunStatus[] = ['after_window', 'running', 'paused', 'watching', 'succeeded', 'rehearsed', 'failed', 'aborted', 'partially_rolled_back', 'rollback_failed'];

type RunRule = { from: readonly RunStatus[]; to: (e: RunEvent, dryRun?: boolean) => RunStatus };
const afterOr = (e: RunEvent, then: RunStatus): RunStatus => ((e as { afterWindow?: boolean }).afterWindow ? 'after_window' : then);
const RUN_RULES: Record<RunEvent['type'], RunRule> = {
  begin: { from: ['planned'], to: () => 'running' },
  // Before T-0 a plan may be running its preparation steps (checked by the engine).
  cancel: { from: ['planned', 'running', 'paused'], to: () => 'cancelled' },
  finish_after: { from: ['after_window', 'running'], to: () => 'succeeded' },
  pause: { from: ['running', 'after_window'], to: () => 'paused' },
  resume: { from: ['running', 'paused'], to: () => 'running' },
  complete: { from: ['running'], to: (e) => ((e as { dryRun: boolean }).dryRun ? 'rehearsed' : afterOr(e, 'succeeded')) },
  open_watch: { from: ['running'], to: () => 'watching' },
  close_watch: { from: ['watching'], to: (e) => afterOr(e, 'succeeded') },
  abort: { from: ['planned', 'running', 'paused', 'watching', 'after_window'], to: () => 'aborted' },
  rollback: { from: ROLLBACK_FROM, to: () => 'rolling_back' },
  pause_rollback: { from: ['rolling_back'], to: () => 'rollback_paused' },
  resume_rollback: { from: ['rollback_paused'], to: () => 'rolling_back' },
  finish_rollback: {
    from: ['rolling_back'],
    to: (e) => {
      const f = e as Extract<RunEvent, { type: 'finish_rollback' }>;
      if (f.stillApplied === 0) return 'rolled_back';
      return f.undoFailed ? 'rollback_failed' : 'partially_rolled_back';
    },
  },
};

const STARTABLE: StepStatus[] = ['pending', 'running', 'waiting'];
const STEP_RULES: Record<StepEvent['type'], { from: readonly StepStatus[]; to: StepStatus }> = {
  start: { from: STARTABLE, to: 'running' },
  wait: { from: ['running'], to: 'waiting' },
  await_approval: { from: ['running'], to: 'awaiting_approval' },
  finish: { from: ['running', 'waiting'], to: 'done' },
  approve: { from: ['awaiting_approval'], to: 'done' },
  mark_done: { from: ['in_doubt'], to: 'done' },
  fail: { from: ['pending', 'running', 'waiting', 'awaiting_approval'], to: 'failed' },
  in_doubt: { from: ['running'], to: 'in_doubt' },
  abort: { from: ['running', 'waiting', 'awaiting_approval'], to: 'aborted' },
  skip_condition: { from: ['pending'], to: 'skipped' },
  skip: { from: ['failed', 'in_doubt'], to: 'skipped' },
  cancel: { from: ['pending'], to: 'skipped' },
  retry: { from: ['pending', 'running', 'waiting', 'failed', 'in_doubt'], to: 'pending' },
  undo_start: { from: ['done', 'in_doubt', 'undo_failed', 'undo_skipped'], to: 'undoing' },
  undo_wait_human: { from: ['undoing'], to: 'undo_waiting' },
  undo_done: { from: ['undoing', 'undo_waiting'], to: 'undone' },
  undo_fail: { from: ['undoing'], to: 'undo_failed' },
  undo_skip: { from: ['undo_failed', 'undo_waiting'], to: 'undo_skipped' },
  mark_undone: { from: ['undo_failed', 'undo_waiting'], to: 'undone' },
};

const STEP_ENDS: StepStatus[] = ['done', 'failed', 'skipped', 'in_doubt', 'aborted'];

export function runTransition(state: RunStatus, event: RunEvent): Transition<RunStatus> {
  const rule = RUN_RULES[event.type];
  if (!rule.from.includes(state)) return { ok: false, reason: `a run that is ${state} cannot ${event.type.replace(/_/g, ' ')}` };
  const next = rule.to(event);
  const effects: Effect[] = [];
  if (TERMINAL_RUN.includes(state) && !TERMINAL_RUN.includes(next)) effects.push({ kind: 'reopened' });
  if (TERMINAL_RUN.includes(next)) effects.push({ kind: 'ended' });
  return { ok: true, state: next, effects };
}

export function stepTransition(state: StepStatus, event: StepEvent): Transition<StepStatus> {
  const rule = STEP_RULES[event.type];
  if (!rule.from.includes(state)) return { ok: false, reason: `a step that is ${state} cannot ${event.type.replace(/_/g, ' ')}` };
  const effects: Effect[] = [];
  if (rule.to === 'running' || rule.to === 'undoing') effects.push({ kind: 'started' });
  if (STEP_ENDS.includes(rule.to) || rule.to === 'undone' || rule.to === 'undo_failed' || rule.to === 'undo_skipped') effects.push({ kind: 'ended' });
  return { ok: true, state: rule.to, effects };
}

/** One entry point for both machines, as the table test walks them. */
export function transition(state: { run: RunStatus }, event: RunEvent): Transition<RunStatus>;
export function transition(state: { step: StepStatus }, event: StepEvent): Transition<StepStatus>;
export function transition(state: { run: RunStatus } | { step: StepStatus }, event: RunEvent | StepEvent): Transition<RunStatus> | Transition<StepStatus> {
  return 'run' in state ? runTransition(state.run, event as RunEvent) : stepTransition(state.step, event as StepEvent);
}

/** An illegal (state, event) pair: a bug or a stale request, never silently ignored. */
export class IllegalTransitionError extends Error {
  constructor(readonly subject: string, reason: string) {
    super(`${subject}: ${reason}`);
    this.name = 'IllegalTransitionError';
  }
}

export const canRun = (status: RunStatus, event: RunEvent): boolean => runTransition(status, event).ok;
export const canStep = (status: StepStatus, event: StepEvent): boolean => stepTransition(status, event).ok;

type RunRecord = { id: string; status: RunStatus; endedAt?: number };

/** Applies a run event to the record (status, endedAt). Throws on an illegal pair. */
export function moveRun(run: RunRecord, event: RunEvent, now: number): Effect[] {
  const t = runTransition(run.status, event);
  if (!t.ok) throw new IllegalTransitionError(`run ${run.id}`, t.reason);
  run.status = t.state;
  for (const e of t.effects) {
    if (e.kind === 'ended') run.endedAt = now;
    if (e.kind === 'reopened') run.endedAt = undefined;
  }
  return t.effects;
}

// The undo record mirrors the step's undo states, for the rollback message.
const UNDO_OF: Partial<Record<StepStatus, UndoStatus>> = {
  undoing: 'running', undo_waiting: 'waiting', undone: 'done', undo_failed: 'failed', undo_skipped: 'skipped',
};

/** Applies a step event to the record (status, startedAt/endedAt, its undo record). */
export function moveStep(step: StepState, event: StepEvent, now: number): Effect[] {
  const t = stepTransition(step.status, event);
  if (!t.ok) throw new IllegalTransitionError(`step ${step.id}`, t.reason);
  step.status = t.state;
  const undo = UNDO_OF[t.state];
  if (undo) {
    step.undo = { ...(step.undo ?? {}), status: undo };
    if (undo === 'running') step.undo = { ...step.undo, startedAt: now, endedAt: undefined, attempt: (step.undo.attempt ?? 0) + 1 };
    else if (undo !== 'waiting') step.undo.endedAt = now;
    return t.effects;
  }
  for (const e of t.effects) {
    if (e.kind === 'started') step.startedAt ??= now;
    if (e.kind === 'ended') step.endedAt = now;
  }
  return t.effects;
}

/** Puts a completed step into a rollback plan: its undo waits its turn, or there is none. */
export function planUndo(step: StepState, hasUndo: boolean): void {
  step.undo = { ...(step.undo ?? {}), status: hasUndo ? 'pending' : 'none' };
}
