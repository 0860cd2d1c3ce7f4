// What the Slack edge may ask of the engine. Every method authorizes against the run's
// snapshot, records an audit entry, changes state atomically in Redis and enqueues jobs.
// None of them runs a step. Errors: PermissionDeniedError (reply with the reason),
// PreconditionFailedError (stale button, unknown run, lock held: reply politely),
// InvalidRunbookError (reply with the problems).
import type { Run } from './types.js';

export interface RunbookListing {
  name: string;
  file: string;
  title?: string;
  steps?: number;
  /** Present when the file is invalid: "runbooks/x.yml:12:5 steps[2].with.url: Required". */
  error?: string;
}

export interface StartRequest {
  runbook: string;
  dryRun: boolean;
  user: string;
  /** Channel the command was typed in (the card goes to the runbook's channel). */
  channel: string;
}

/** `/cutover plan`: a run whose T-0 is `t0` (ms since the epoch). */
export interface PlanRequest extends StartRequest {
  t0: number;
}

export type InDoubtChoice = 'run_again' | 'mark_done';

export interface StepRef {
  runId: string;
  stepId: string;
  /** The attempt the button was rendered for: a stale attempt is a stale button. */
  attempt: number;
}

export interface RollbackOptions {
  /** `/rollback --to <step>`: undo only the steps completed after this one. */
  to?: string;
  /** The runbook name, typed: required once a `point_of_no_return` step is done. */
  confirm?: string;
}

export interface ApproveResult {
  /** approvals so far / needed */
  count: number;
  min: number;
  /** true when this approval completed the step */
  approved: boolean;
}

export type ReviewAction = { kind: 'send' } | { kind: 'edit'; text: string } | { kind: 'hold' };
export type TickState = { state: 'done'; note?: string } | { state: 'na'; reason: string };

export interface EngineApi {
  listRunbooks(): Promise<RunbookListing[]>;
  start(req: StartRequest): Promise<Run>;
  /** A planned run (timed steps start by themselves); refuses a plan conflicting on the lock. */
  plan(req: PlanRequest): Promise<Run>;
  /** After a late start: run the T-minus steps that are already late (`can.start`). */
  runLate(runId: string, user: string): Promise<Run>;
  /** Cancels a plan before T-0 (`can.start`). */
  cancel(runId: string, user: string, reason: string): Promise<Run>;
  /** Moves T-0 and every pending timed step (`can.start`). */
  reschedule(runId: string, user: string, t0: number): Promise<Run>;
  /** Hands a role over for this run (the lead or the role's current holder). */
  handover(runId: string, role: string, to: string, user: string): Promise<Run>;
  getRun(runId: string): Promise<Run | null>;
  /** The channel's active run (for /rollback and /cutover status without an id). */
  activeRun(channel: string): Promise<Run | null>;
  recentRuns(limit: number): Promise<Run[]>;
  abort(runId: string, user: string): Promise<Run>;
  /** Authorizes a rollback request (and checks `to`) before the confirmation is shown. */
  checkRollback(runId: string, user: string, to?: string): Promise<Run>;
  rollback(runId: string, user: string, reason: string, opts?: RollbackOptions): Promise<Run>;
  /** A failed undo pauses the rollback: run it again (`can.rollback`). */
  retryUndo(ref: StepRef, user: string): Promise<void>;
  /** Leave a failed or manual undo's step applied, with a reason (`can.rollback`). */
  skipUndo(ref: StepRef, user: string, reason: string): Promise<void>;
  /** Someone undid it by hand, with a reason (`can.rollback`). */
  markUndone(ref: StepRef, user: string, reason: string): Promise<void>;
  /** A manual undo (`undo: { uses: approval }`): an approver confirms it is undone. */
  confirmUndo(ref: StepRef, user: string): Promise<void>;
  /** Checks `can.rollback` before an undo reason modal opens. */
  checkUndoDecision(ref: StepRef, user: string): Promise<Run>;
  approve(ref: StepRef, user: string, confirmText?: string): Promise<ApproveResult>;
  reject(ref: StepRef, user: string): Promise<void>;
  retry(ref: StepRef, user: string): Promise<void>;
  skip(ref: StepRef, user: string, reason: string): Promise<void>;
  resolveInDoubt(ref: StepRef, user: string, choice: InDoubtChoice): Promise<void>;
  /** Checks that `user` may approve the step now (before opening a confirm_text modal). */
  checkApprover(ref: StepRef, user: string): Promise<Run>;
  /** Dismisses a watch-window rollback proposal (authorized like a rollback). */
  dismissProposal(runId: string, proposalId: string, user: string): Promise<void>;
  /** `/cutover report [run]`: the run (given, else the channel's active or latest) whose report is being posted in its thread. */
  requestReport(runId: string | undefined, channel: string, user: string): Promise<Run>;
  /** Checks `can.skip` (before opening the skip-reason modal). */
  checkSkip(ref: StepRef, user: string): Promise<Run>;
  /** Checks that `user` owns checklist item `item` (or leads), before a note / reason modal opens. */
  checkTicker(ref: StepRef, item: string, user: string): Promise<Run>;
  /** Ticks a checklist item Done or N/A; the step is done when every required item is. */
  tick(ref: StepRef, item: string, user: string, tick: TickState): Promise<{ complete: boolean }>;
  /** Checks that `user` is in the reviewing role, before the edit modal opens. */
  checkReviewer(ref: StepRef, user: string): Promise<Run>;
  /** Send (as written or edited) or Hold a draft of a reviewed `notify`. */
  review(ref: StepRef, user: string, action: ReviewAction): Promise<void>;
}
