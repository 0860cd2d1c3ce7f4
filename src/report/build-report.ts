// Builds the report from the run record and its audit stream. Pure: the same data gives the
// same report, whether Slack, the CLI or a test asks. Everything in it was redacted before it
// was stored; it stays plain data here (escaping happens where it is shown).
import { isDecision } from '../engine/audit-events.js';
import { stillApplied } from '../engine/rollback-plan.js';
import type { AuditEntry, Run, StepState } from '../engine/types.js';
import { parseDuration } from '../runbooks/duration.js';
import type { Report, TimelineRow } from './schema.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const span = (s: { startedAt?: number; endedAt?: number }): number | undefined =>
  s.startedAt !== undefined && s.endedAt !== undefined ? Math.max(0, s.endedAt - s.startedAt) : undefined;

// Rows of the timeline: what ended, what people decided, what the run did. Starts, waits and
// outputs are folded into the row that ends them.
const RESULT: Partial<Record<AuditEntry['kind'], (a: AuditEntry) => string>> = {
  run_started: (a) => (a.status === 'running' ? 'started' : a.status ?? 'started'),
  run_planned: (a) => `planned (${a.status})`,
  run_paused: () => 'paused',
  run_resumed: () => 'resumed',
  run_ended: (a) => (a.status ?? 'ended').replace(/_/g, ' '),
  run_rolled_back: (a) => (a.status ?? 'rolled back').replace(/_/g, ' '),
  rollback_started: () => 'rollback started',
  rollback_paused: () => 'rollback paused',
  window_opened: () => 'rollback window opened',
  window_closed: (a) => `rollback window closed (${a.note ?? ''})`,
  step_ended: (a) => a.status ?? 'done',
  step_failed: () => 'failed',
  step_retried: () => 'retried',
  step_skipped: () => 'skipped',
  step_in_doubt: () => 'in doubt',
  step_marked_done: () => 'marked done',
  step_undone: () => 'undone',
  undo_failed: () => 'undo failed',
  undo_skipped: () => 'undo skipped (left applied)',
  alert: (a) => `alert ${a.status ?? 'firing'} ×${a.count ?? 1}`,
};

function evidenceOf(a: AuditEntry, evidence: Map<string, string[]>): string[] {
  const out = [...(a.evidence ?? [])];
  if (a.kind === 'step_ended' && a.step) out.push(...(evidence.get(`${a.step}#${a.attempt}`) ?? []));
  for (const t of [a.summary, a.error, a.reason, a.kind === 'run_planned' ? undefined : a.note]) if (t) out.push(t);
  return out;
}

export function timeline(audit: AuditEntry[]): TimelineRow[] {
  // Outputs and evidence are appended just before the step_ended entry they belong to.
  const extra = new Map<string, string[]>();
  for (const a of audit) {
    if ((a.kind === 'step_output' || a.kind === 'step_evidence') && a.step) {
      const key = `${a.step}#${a.attempt}`;
      extra.set(key, [...(extra.get(key) ?? []), ...(a.kind === 'step_output' ? [`outputs: ${a.summary}`] : a.evidence ?? [])]);
    }
  }
  const rows: TimelineRow[] = [];
  for (const a of audit) {
    const result = RESULT[a.kind]?.(a) ?? (isDecision(a) ? a.kind.replace(/_/g, ' ') : undefined);
    if (result === undefined) continue;
    rows.push({
      at: iso(a.at),
      ...(a.step ? { step: a.step } : a.group ? { step: a.note } : {}),
      who: a.user,
      event: a.kind,
      result,
      ...(a.ms !== undefined ? { duration_ms: a.ms } : {}),
      evidence: a.kind === 'alert' ? [`${a.group}: ${a.summary ?? ''}`] : evidenceOf(a, extra),
    });
  }
  return rows.sort((x, y) => x.at.localeCompare(y.at));
}

function stepSummary(run: Run, s: StepState): Report['steps'][number] {
  const spec = run.runbook.steps.find((x) => x.id === s.id);
  const estimate = spec?.estimate ? parseDuration(spec.estimate) : undefined;
  const duration = span(s);
  const attempts = [...(s.attempts ?? []), s].map((a) => ({
    attempt: a.attempt, status: a.status,
    ...(span(a) !== undefined ? { duration_ms: span(a) } : {}),
    ...(a.error ? { error: a.error } : {}),
    evidence: a.evidence ?? [],
  }));
  const u = s.undo;
  return {
    id: s.id, name: s.name, uses: s.uses, status: s.status, attempts,
    ...(duration !== undefined ? { duration_ms: duration } : {}),
    ...(estimate !== undefined ? { estimate_ms: estimate, ...(duration !== undefined ? { over_estimate: duration > estimate } : {}) } : {}),
    ...(s.summary ? { summary: s.summary } : {}),
    ...(s.skipped ? { skipped: { by: s.skipped.user, reason: s.skipped.reason } } : {}),
    ...(u && u.status !== 'none' && u.status !== 'pending'
      ? { undo: { status: u.status, ...(u.decision ? { by: u.decision.user, reason: u.decision.reason } : u.human?.approvals[0] ? { by: u.human.approvals[0].user } : {}), ...(u.error ? { error: u.error } : {}) } }
      : {}),
  };
}

/** Approvals and checklist ticks from every attempt of every step (and manual undos). */
function decisionsOf(run: Run): Pick<Report, 'approvals' | 'sign_offs'> {
  const approvals: Report['approvals'] = [];
  const signOffs: Report['sign_offs'] = [];
  for (const s of run.steps) {
    const states = [...(s.attempts ?? []).map((a) => a.approval), s.approval, s.undo?.human];
    for (const a of states) {
      if (!a) continue;
      for (const d of a.approvals) approvals.push({ step: s.id, user: d.user, at: iso(d.at), ...(d.note ? { note: d.note } : {}) });
      const ticks = (a as { ticks?: Record<string, { state: 'done' | 'na'; user: string; at: number; note?: string }> }).ticks ?? {};
      for (const [item, t] of Object.entries(ticks)) signOffs.push({ step: s.id, item, state: t.state, user: t.user, at: iso(t.at), ...(t.note ? { note: t.note } : {}) });
    }
  }
  return { approvals: approvals.sort((a, b) => a.at.localeCompare(b.at)), sign_offs: signOffs.sort((a, b) => a.at.localeCompare(b.at)) };
}

export function buildReport(run: Run, audit: AuditEntry[]): Report {
  const steps = run.steps.map((s) => stepSummary(run, s));
  const withEstimate = steps.filter((s) => s.estimate_ms !== undefined);
  const rb = run.rollback;
  return {
    format: 'tzero.report/v1',
    run: {
      id: run.id, runbook: run.runbook.name, ...(run.runbook.title ? { title: run.runbook.title } : {}), file: run.file, hash: run.hash,
      rehearsal: run.dryRun, status: run.status, started_by: run.startedBy, started_at: iso(run.startedAt),
      ...(run.endedAt !== undefined ? { ended_at: iso(run.endedAt), duration_ms: run.endedAt - run.startedAt } : {}),
    },
    timeline: timeline(audit),
    steps,
    ...decisionsOf(run),
    alerts: audit.filter((a) => a.kind === 'alert').map((a) => ({ at: iso(a.at), group: a.group ?? '', title: a.summary ?? '', status: a.status ?? 'firing', count: a.count ?? 1, ...(a.note ? { during: a.note } : {}) })),
    ...(rb
      ? { rollback: { requested_by: rb.requestedBy, at: iso(rb.at), reason: rb.reason, ...(rb.to ? { to: rb.to } : {}), undone: run.steps.filter((s) => s.status === 'undone').map((s) => s.id), still_applied: stillApplied(run).map((s) => s.id) } }
      : {}),
    planned_vs_actual: {
      estimate_ms: withEstimate.reduce((n, s) => n + s.estimate_ms!, 0),
      actual_ms: withEstimate.reduce((n, s) => n + (s.duration_ms ?? 0), 0),
      steps_with_estimate: withEstimate.length,
    },
  };
}
