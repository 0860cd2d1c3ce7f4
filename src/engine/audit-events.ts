// The audit stream's record of what happened, derived from the state machine's transitions.
// RunStore writes every run change; it hands the record before and after each write to
// `transitionEvents`, which turns each status change into one entry. One observer, so no call
// site can forget to audit, and the stream cannot disagree with the card. Every value comes
// from the run record, which holds only redacted text (step-outcome redacts before storing).
import type { AttemptRecord, AuditEntry, Run, StepState } from './types.js';

const SYSTEM = 'tzero';
const FIELD_CAP = 2000; // characters of one text field in the stream (the run record keeps the rest)

const cap = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : text.length > FIELD_CAP ? `${text.slice(0, FIELD_CAP - 1)}…` : text;

/** Outputs as one short line for the stream: `missing=0 extra=3`. */
export function outputSummary(outputs: Record<string, unknown>): string | undefined {
  const parts = Object.entries(outputs).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? cap(parts.join(' ')) : undefined;
}

const duration = (s: { startedAt?: number; endedAt?: number }): number | undefined =>
  s.startedAt !== undefined && s.endedAt !== undefined ? Math.max(0, s.endedAt - s.startedAt) : undefined;

/** The run was created: its plan (step ids in order) and whether it is a rehearsal. */
export function plannedEvents(run: Run): AuditEntry[] {
  const base = { user: run.startedBy, at: run.startedAt, hash: run.hash };
  return [
    { ...base, kind: 'run_planned', note: run.steps.map((s) => s.id).join(' '), status: run.dryRun ? 'rehearsal' : 'live' },
    { ...base, kind: 'run_started', status: run.status },
  ];
}

/** Entries for every transition between two versions of a run record. */
export function transitionEvents(before: Run, after: Run, now: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  const e = (entry: Omit<AuditEntry, 'hash' | 'user'> & { user?: string }) => out.push({ user: SYSTEM, hash: after.hash, ...entry, error: cap(entry.error), summary: cap(entry.summary), note: cap(entry.note) });
  for (let i = 0; i < after.steps.length; i++) {
    const b = before.steps[i];
    const a = after.steps[i]!;
    if (!b || b.id !== a.id) continue;
    stepEvents(b, a, now, e);
  }
  runEvents(before, after, now, e);
  return out;
}

type Emit = (entry: Omit<AuditEntry, 'hash' | 'user'> & { user?: string }) => void;

function stepEvents(b: StepState, a: StepState, now: number, e: Emit): void {
  const step = a.id;
  // Attempts closed by this write (a retry, automatic or by a human): the failure of an attempt
  // that never showed `failed` (an automatic retry) is recorded here, then the retry.
  for (const r of (a.attempts ?? []).slice((b.attempts ?? []).length)) {
    if (b.status !== r.status && r.error !== undefined) e(failedEntry(step, r, now));
    e({ kind: 'step_retried', step, at: now, attempt: a.attempt, note: a.note });
  }
  if (a.status === b.status && a.attempt === b.attempt) {
    if (a.undo?.status === 'failed' && b.undo?.status === 'failed' && a.undo.error !== b.undo.error) e({ kind: 'undo_failed', step, at: a.undo.endedAt ?? now, error: a.undo.error });
    return;
  }
  if (a.status === b.status) return;
  const at = a.endedAt ?? now;
  switch (a.status) {
    case 'running':
      e({ kind: 'step_started', step, at: a.startedAt ?? now, attempt: a.attempt });
      return;
    case 'waiting':
    case 'awaiting_approval':
      e({ kind: 'step_waiting', step, at: now, attempt: a.attempt, status: a.status });
      return;
    case 'done': {
      const marked = b.status === 'in_doubt';
      const approvers = a.approval?.approvals.map((d) => d.user).join(' ');
      const summary = a.summary;
      const outputs = outputSummary(a.outputs);
      if (outputs) e({ kind: 'step_output', step, at, attempt: a.attempt, summary: outputs });
      if (a.evidence?.length) e({ kind: 'step_evidence', step, at, attempt: a.attempt, evidence: a.evidence.map((x) => cap(x)!) });
      if (marked) e({ kind: 'step_marked_done', step, at, attempt: a.attempt, summary });
      e({ kind: 'step_ended', step, at, attempt: a.attempt, status: a.status, ms: duration(a), summary, ...(approvers ? { note: `approved by ${approvers}` } : {}) });
      return;
    }
    case 'failed':
      e(failedEntry(step, a, now));
      return;
    case 'skipped':
      e({ kind: 'step_skipped', step, at, attempt: a.attempt, user: a.skipped?.user ?? SYSTEM, reason: a.skipped?.reason ?? a.note });
      return;
    case 'in_doubt':
      e({ kind: 'step_in_doubt', step, at, attempt: a.attempt, note: a.note });
      return;
    case 'aborted':
      e({ kind: 'step_ended', step, at, attempt: a.attempt, status: a.status, ms: duration(a), note: a.note });
      return;
    case 'undoing':
      e({ kind: 'undo_started', step, at: a.undo?.startedAt ?? now, attempt: a.undo?.attempt });
      return;
    case 'undo_waiting':
      e({ kind: 'undo_waiting', step, at: now });
      return;
    case 'undone': {
      const d = a.undo?.decision;
      e({ kind: 'step_undone', step, at: a.undo?.endedAt ?? now, user: d?.user ?? a.undo?.human?.approvals[0]?.user ?? SYSTEM, ms: a.undo ? duration(a.undo) : undefined, summary: a.undo?.summary, reason: d?.reason });
      return;
    }
    case 'undo_failed':
      e({ kind: 'undo_failed', step, at: a.undo?.endedAt ?? now, error: a.undo?.error });
      return;
    case 'undo_skipped':
      e({ kind: 'undo_skipped', step, at: a.undo?.endedAt ?? now, user: a.undo?.decision?.user ?? SYSTEM, reason: a.undo?.decision?.reason });
      return;
    case 'pending':
      return; // a retry, recorded above
  }
}

function failedEntry(step: string, s: AttemptRecord | StepState, now: number): Omit<AuditEntry, 'hash' | 'user'> {
  return { kind: 'step_failed', step, at: s.endedAt ?? now, attempt: s.attempt, status: s.status, ms: duration(s), error: s.error, ...(s.evidence?.length ? { evidence: s.evidence.map((x) => cap(x)!) } : {}) };
}

function runEvents(before: Run, after: Run, now: number, e: Emit): void {
  // A rollback may start and finish in one write (nothing to undo): detect it by its record.
  const rb = after.rollback;
  if (rb && rb.at !== before.rollback?.at) e({ kind: 'rollback_started', at: rb.at, user: rb.requestedBy, reason: rb.reason, note: rb.order.join(' ') || 'nothing to undo' });
  if (before.status === after.status) return;
  const at = after.endedAt ?? now;
  const ms = after.endedAt !== undefined ? after.endedAt - after.startedAt : undefined;
  if (after.status === 'watching') e({ kind: 'window_opened', at: after.watch?.startedAt ?? now, note: after.watch ? `until ${new Date(after.watch.until).toISOString()}` : undefined });
  if (before.status === 'watching') e({ kind: 'window_closed', at: now, count: after.watch?.alerts, note: after.status === 'succeeded' ? 'all clear' : after.status.replace(/_/g, ' ') });
  switch (after.status) {
    case 'paused':
      e({ kind: 'run_paused', at: now });
      return;
    case 'rollback_paused':
      e({ kind: 'rollback_paused', at: now });
      return;
    case 'rolled_back':
    case 'partially_rolled_back':
    case 'rollback_failed':
      e({ kind: 'run_rolled_back', at, status: after.status, ms });
      return;
    case 'succeeded':
    case 'rehearsed':
    case 'failed':
    case 'aborted':
      e({ kind: 'run_ended', at, status: after.status, ms, ...(after.abort ? { user: after.abort.user } : {}) });
      return;
    case 'running':
      if (before.status === 'paused') e({ kind: 'run_resumed', at: now });
  }
}

/** Human decisions (and refusals), as opposed to what the engine recorded by itself. */
const DECISIONS = new Set<string>(['start', 'approve', 'reject', 'retry', 'skip', 'rollback', 'abort', 'mark_done', 'run_again', 'dismiss', 'tick', 'review', 'undo_retry', 'undo_skip', 'undo_by_hand', 'undo_confirm', 'plan', 'reschedule', 'cancel', 'handover', 'run_late', 'denied', 'refused']);
export const isDecision = (entry: AuditEntry): boolean => DECISIONS.has(entry.kind);
