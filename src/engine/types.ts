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
  | 'undone'
  | 'undo_failed';

export type RunStatus =
  | 'running'
  | 'paused' // a failed step or an in-doubt step waits for a human
  | 'watching' // every step ended; the rollback window (runbook `watch`) is open
  | 'succeeded'
  | 'failed'
  | 'aborted'
  | 'rolling_back'
  | 'rolled_back'
  | 'rollback_failed';

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
  error?: string;
  /** Last lines of output, redacted (the full output is in the run's output key). */
  outputTail?: string;
  /** Values stored by ctx.checkpoint, per attempt. */
  checkpoints: Record<string, unknown>;
  waitUntil?: number;
  approval?: ApprovalState;
  skipped?: Decision & { reason: string };
  /** Why the condition (`if`) made the step skip, or why it is in doubt. */
  note?: string;
  undo?: {
    status: 'pending' | 'running' | 'done' | 'failed' | 'none';
    startedAt?: number;
    endedAt?: number;
    summary?: string;
    error?: string;
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
  };
  abort?: Decision;
  watch?: {
    startedAt: number;
    until: number;
    /** Keys of triggers that fired (each proposes or acts once per window). */
    fired: string[];
    proposals: Proposal[];
    /** Alerts seen during the window. */
    alerts: number;
  };
  /** Incremented on every write (optimistic concurrency). */
  version: number;
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
  | 'denied';

export interface AuditEntry {
  kind: AuditKind;
  user: string;
  at: number;
  step?: string;
  hash: string;
  note?: string;
}
