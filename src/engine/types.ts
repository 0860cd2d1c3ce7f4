// The run record: everything about a run lives here, in Redis (see run-store.ts).
import type { Runbook } from '../runbooks/schema.js';
import type { ApprovalRequest } from '../steps/define-step.js';

export type StepStatus =
  | 'pending'
  | 'running'
  | 'waiting' // a `wait` step's timer
  | 'awaiting_approval'
  | 'done'
  | 'failed'
  | 'skipped'
  | 'in_doubt'
  | 'aborted'
  | 'undoing'
  | 'undo_waiting' // a manual undo: waits for a human to confirm it is undone
  | 'undone'
  | 'undo_failed' // the rollback is paused on it: retry, skip or mark undone by hand
  | 'undo_skipped'; // left applied by a human (with a reason)

/** The undo record's own view of a step's undo, shown in the rollback message. */
export type UndoStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped' | 'none';

/** How a step took part in a dry run (see src/engine/rehearsal.ts). */
export type Rehearsal = 'ran' | 'described' | 'not_rehearsed';

export type RunStatus =
  | 'planned' // created by /cutover plan: nothing has started, no lock yet
  | 'cancelled' // a plan cancelled before T-0
  | 'after_window' // the window closed all clear; after-window steps run later, without the lock
  | 'running'
  | 'paused' // a failed step or an in-doubt step waits for a human
  | 'watching' // every step ended; the rollback window (runbook `watch`) is open
  | 'succeeded'
  | 'rehearsed' // a dry run that reached its end: never reported as "succeeded" (issue 6 §3)
  | 'failed'
  | 'aborted'
  | 'rolling_back'
  | 'rollback_paused' // an undo failed: a human retries it, skips it or marks it undone by hand
  | 'rolled_back' // every completed step with an undo was undone
  | 'partially_rolled_back' // some steps with an undo are still applied, on purpose (`--to`)
  | 'rollback_failed'; // some steps with an undo are still applied because an undo failed

export interface Decision {
  user: string;
  at: number;
  /** confirm_text typed, skip reason… */
  note?: string;
}

/** A checklist item ticked: Done (with a note when `note_required`) or N/A (with a reason). */
export interface Tick extends Decision {
  state: 'done' | 'na';
}

/** What the approval step asked for, plus the decisions so far. */
export interface ApprovalState extends ApprovalRequest {
  approvals: Decision[];
  rejection?: Decision;
  /** Checklist: item id → who ticked it, when, how. */
  ticks?: Record<string, Tick>;
  /** Review: every Hold, in order (the step keeps waiting). */
  holds?: Decision[];
  /** Review: who sent what; `note` is unused. */
  sent?: Decision & { text: string; edited: boolean };
}

/** An earlier attempt of a step, kept when a retry starts a fresh one (its error and evidence stay on record). */
export interface AttemptRecord {
  attempt: number;
  status: StepStatus;
  startedAt?: number;
  endedAt?: number;
  summary?: string;
  evidence?: string[];
  error?: string;
  note?: string;
  /** Structured evidence of the attempt (assert comparisons, certificate…), when the step gave any. */
  facts?: Record<string, unknown>;
  approval?: ApprovalState;
}

export interface StepState {
  id: string;
  name: string;
  uses: string;
  status: StepStatus;
  /** Increments on every (re)try; part of the job id. */
  attempt: number;
  /** Automatic retries used so far (`retries:` in the runbook). */
  autoRetries?: number;
  startedAt?: number;
  endedAt?: number;
  outputs: Record<string, unknown>;
  summary?: string;
  evidence?: string[];
  /** What a failed attempt saw, as data (assert comparisons, certificate, DNS answers); a passed one's is in `outputs`. */
  facts?: Record<string, unknown>;
  error?: string;
  /** Last lines of output, redacted (the full output is in the run's output key). */
  outputTail?: string;
  /** Earlier attempts, oldest first (a retry moves the current one here). */
  attempts?: AttemptRecord[];
  /** Values stored by ctx.checkpoint, per attempt. */
  checkpoints: Record<string, unknown>;
  waitUntil?: number;
  approval?: ApprovalState;
  skipped?: Decision & { reason: string };
  /** In a dry run: whether the step ran for real, was only described, or could not be rehearsed. */
  rehearsal?: Rehearsal;
  /** Why the condition (`if`) made the step skip, or why it is in doubt. */
  note?: string;
  /** The timeline: when the step may start (T-0 + `at`), absent for a step that follows the previous one. */
  due?: number;
  /** Started this many ms after it was due (tzero was down, or a plan started late). */
  late?: number;
  /** Runs before T-0 (does not take the lock). */
  prep?: boolean;
  /** In the runbook's `after_window` list: no lock, never undone, cancelled by a rollback. */
  afterWindow?: boolean;
  undo?: {
    status: UndoStatus;
    /** Increments each time the undo is started; part of the undo job's id. */
    attempt?: number;
    startedAt?: number;
    endedAt?: number;
    summary?: string;
    error?: string;
    /** A manual undo (`undo: { uses: approval }`): who must confirm, and who did. */
    human?: ApprovalState;
    /** Skipped or marked undone by hand: who, when, why. */
    decision?: Decision & { kind: 'skip' | 'by_hand'; reason: string };
  };
}

export interface Run {
  id: string;
  runbook: Runbook; // snapshot at start: later edits of the file do not affect this run
  hash: string; // sha256 of the runbook file's bytes, first 12 hex chars shown
  file: string;
  dryRun: boolean;
  startedBy: string;
  startedAt: number;
  endedAt?: number;
  channel: string;
  lock: string;
  status: RunStatus;
  /** Index into runbook.steps of the step in progress (or next to run). */
  cursor: number;
  steps: StepState[];
  rollback?: {
    requestedBy: string;
    at: number;
    reason: string;
    /** Step ids to undo, in order (reverse of completion). */
    order: string[];
    cursor: number;
    /** `/rollback --to <step>`: steps completed up to and including it stay applied. */
    to?: string;
  };
  abort?: Decision;
  /** A timed run (`/cutover plan`, or `/cutover start` of a runbook with `at:` steps). */
  plan?: RunPlan;
  /** Roles handed over during this run (`run.runbook.roles` holds the current holders). */
  handovers?: Array<Decision & { role: string; from: string[]; to: string }>;
  watch?: {
    startedAt: number;
    until: number;
    /** Keys of triggers that fired (each proposes or acts once per window). */
    fired: string[];
    proposals: Proposal[];
    /** Alerts seen during the window. */
    alerts: number;
  };
  /** A live run: how its runbook differs from the last successful rehearsal (absent: identical). */
  drift?: { rehearsal?: { runId: string; at: number }; changed: string[] };
  /** Incremented on every write (optimistic concurrency). */
  version: number;
}

export interface RunPlan {
  /** T-0. */
  t0: number;
  /** Bumped by a reschedule: timers of an older generation do nothing. */
  gen: number;
  plannedBy: string;
  /** The lock is taken at the first step that is not preparation, or at T-0. */
  locked: boolean;
  /** `/cutover start` of a timed runbook with late T-minus steps: waits for a click to run them. */
  awaitingLateConfirm?: string[];
  cancelled?: Decision & { reason: string };
}

export interface Proposal {
  id: string;
  at: number;
  reason: string;
  evidence: string[];
  status: 'open' | 'dismissed';
  decidedBy?: Decision;
}

export type AuditKind =
  | 'start'
  | 'approve'
  | 'reject'
  | 'retry'
  | 'skip'
  | 'rollback'
  | 'abort'
  | 'mark_done'
  | 'run_again'
  | 'dismiss'
  | 'tick'
  | 'review'
  | 'undo_retry'
  | 'undo_skip'
  | 'undo_by_hand'
  | 'undo_confirm'
  | 'denied'
  // What happened, recorded from the state machine's transitions (see audit-events.ts).
  | 'run_planned'
  | 'run_started'
  | 'run_paused'
  | 'run_resumed'
  | 'run_ended'
  | 'rollback_started'
  | 'rollback_paused'
  | 'run_rolled_back'
  | 'window_opened'
  | 'window_closed'
  | 'alert'
  | 'step_started'
  | 'step_waiting'
  | 'step_output'
  | 'step_evidence'
  | 'step_ended'
  | 'step_failed'
  | 'step_retried'
  | 'step_skipped'
  | 'step_in_doubt'
  | 'step_marked_done'
  | 'undo_started'
  | 'undo_waiting'
  | 'step_undone'
  | 'undo_failed'
  | 'undo_skipped'
  /** A request refused for the state it came in (a stale button, a step that is not current). */
  | 'refused'
  | 'plan'
  | 'reschedule'
  | 'cancel'
  | 'handover'
  | 'run_late';

export interface AuditEntry {
  kind: AuditKind;
  /** Who decided, or `tzero` for what the engine did by itself. */
  user: string;
  at: number;
  step?: string;
  hash: string;
  note?: string;
  attempt?: number;
  status?: string;
  /** Duration in milliseconds (a step, an undo, the run). */
  ms?: number;
  error?: string;
  summary?: string;
  evidence?: string[];
  reason?: string;
  /** Alerts: the group key and how many events it stands for. */
  group?: string;
  count?: number;
}
