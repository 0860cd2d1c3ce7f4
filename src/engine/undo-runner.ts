// Handles `undo` jobs (one per completed step, most recent first) and approval expiry.
import { createRedactor } from '../lib/redact.js';
import { findStep } from '../steps/registry.js';
import { advanceRollback, afterFailure, stepIndex, type FollowUp } from './flow.js';
import { applyFollowUp } from './step-outcome.js';
import { execute, type JobResult } from './step-runner.js';
import { runSecrets } from './scope.js';
import type { Runtime } from './runtime.js';

export async function runUndoJob(rt: Runtime, runId: string, stepId: string): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run || run.status !== 'rolling_back') return {};
  const i = stepIndex(run, stepId);
  const st = run.steps[i]!;
  const spec = run.runbook.steps[i]!;
  if (!st.undo || !spec.undo || !['pending', 'running'].includes(st.undo.status)) return {};
  const secrets = runSecrets(run, rt.secrets);
  const redact = createRedactor(secrets.values());

  if (st.undo.status === 'running' && findStep(spec.undo.uses).sideEffects && !run.dryRun) {
    // Same rule as steps: an undo cut off by a crash is not repeated silently.
    return finish(rt, runId, stepId, 'failed', undefined, 'tzero restarted during this undo: check by hand, then roll back again or finish manually');
  }
  await rt.store.update(runId, (r) => {
    const s = r.steps[i]!;
    if (!s.undo || s.undo.status !== 'pending') return false;
    s.status = 'undoing';
    s.undo = { ...s.undo, status: 'running', startedAt: rt.now() };
  });
  await rt.messages.rollback(runId, run.channel);
  await rt.messages.changed(runId);
  const outcome = await execute(rt, run, stepId, st.attempt, { uses: spec.undo.uses, with: spec.undo.with, timeout: spec.timeout }, secrets, redact, 'undo');
  switch (outcome.kind) {
    case 'done':
      return finish(rt, runId, stepId, 'done', outcome.result.summary && redact(outcome.result.summary));
    case 'described':
      return finish(rt, runId, stepId, 'done', outcome.text);
    case 'failed':
      return finish(rt, runId, stepId, 'failed', undefined, redact(outcome.error));
    default:
      return finish(rt, runId, stepId, 'failed', undefined, `undo ended with ${outcome.kind}`);
  }
}

async function finish(rt: Runtime, runId: string, stepId: string, status: 'done' | 'failed', summary?: string, error?: string): Promise<JobResult> {
  const now = rt.now();
  let follow: FollowUp = { jobs: [], finished: false };
  const run = await rt.store.update(runId, (r) => {
    const s = r.steps[stepIndex(r, stepId)]!;
    if (!s.undo || r.status !== 'rolling_back') return false;
    s.undo = { ...s.undo, status, endedAt: now, summary, error };
    s.status = status === 'done' ? 'undone' : 'undo_failed';
    if (status === 'failed') {
      r.status = 'rollback_failed';
      r.endedAt = now;
      follow = { jobs: [], finished: true };
      return;
    }
    r.rollback!.cursor++;
    follow = advanceRollback(r, now);
  });
  await rt.messages.rollback(runId, run.channel);
  return applyFollowUp(rt, run, follow);
}

export async function runExpireJob(rt: Runtime, runId: string, stepId: string, attempt: number): Promise<JobResult> {
  const now = rt.now();
  let follow: FollowUp = { jobs: [], finished: false };
  const run = await rt.store.update(runId, (r) => {
    const i = stepIndex(r, stepId);
    const s = r.steps[i]!;
    if (r.status !== 'running' || s.attempt !== attempt || s.status !== 'awaiting_approval') return false;
    if (!s.approval?.expiresAt || s.approval.expiresAt > now) return false;
    Object.assign(s, { status: 'failed', endedAt: now, error: 'approval expired before enough approvers decided' });
    follow = afterFailure(r, s, now, r.runbook.steps[i]!.on_failure);
  });
  await rt.messages.step(runId, run.channel, stepId);
  return applyFollowUp(rt, run, follow);
}
