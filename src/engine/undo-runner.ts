// Handles `undo` jobs (one per completed step, most recent first) and approval expiry.
// A failing undo pauses the rollback for a human (retry, skip, mark undone by hand); an undo
// that asks for a human (`undo: { uses: approval }`) waits for their confirmation.
import { createRedactor } from '../lib/redact.js';
import { findStep } from '../steps/registry.js';
import { advanceRollback, afterFailure, stepIndex, type FollowUp } from './flow.js';
import { applyFollowUp } from './step-outcome.js';
import { execute } from './step-runner.js';
import type { JobResult } from './job-result.js';
import type { Outcome } from './step-executor.js';
import { runSecrets } from './scope.js';
import type { Runtime } from './runtime.js';
import { moveRun, moveStep } from './state-machine.js';
import type { ApprovalState } from './types.js';

const IN_DOUBT = 'tzero restarted during this undo: it may or may not have taken effect. Check by hand, then retry, skip or mark it undone.';

/**
 * An undo that hands over to a human instead of doing the work itself. Generic on purpose:
 * any step type that asks for a person (approval today, a checklist later) can be an undo.
 */
export function humanRequest(outcome: Outcome): Omit<ApprovalState, 'approvals'> | null {
  if (outcome.kind === 'approval') return { ...outcome.request };
  return null;
}

export async function runUndoJob(rt: Runtime, runId: string, stepId: string, undoAttempt = 1): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run || run.status !== 'rolling_back') return {};
  const i = stepIndex(run, stepId);
  const st = run.steps[i]!;
  const spec = run.runbook.steps[i]!;
  if (!st.undo || !spec.undo) return {};
  const secrets = runSecrets(run, rt.secrets);
  const redact = createRedactor(secrets.values());

  if (st.status === 'undoing' && st.undo.attempt === undoAttempt) {
    // Same rule as steps: an undo cut off by a crash is not repeated silently.
    if (findStep(spec.undo.uses).sideEffects && !run.dryRun) return finish(rt, runId, stepId, undoAttempt, { kind: 'failed', error: IN_DOUBT, evidence: [] });
  } else if (st.undo.status !== 'pending' || (st.undo.attempt ?? 0) + 1 !== undoAttempt) {
    return {}; // a stale or duplicate job
  }
  const started = await rt.store.update(runId, (r) => {
    const s = r.steps[i]!;
    if (r.status !== 'rolling_back' || !s.undo || s.undo.status !== 'pending' || (s.undo.attempt ?? 0) + 1 !== undoAttempt) return false;
    moveStep(s, { type: 'undo_start' }, rt.now());
    s.undo.error = undefined;
    s.undo.summary = undefined;
  });
  if (started.steps[i]!.status !== 'undoing' || started.steps[i]!.undo?.attempt !== undoAttempt) return {};
  await rt.messages.rollback(runId, run.channel);
  await rt.messages.changed(runId);
  const outcome = await execute(rt, started, stepId, st.attempt, { uses: spec.undo.uses, with: spec.undo.with, timeout: spec.timeout }, secrets, redact, 'undo');
  const human = humanRequest(outcome);
  if (human) return finish(rt, runId, stepId, undoAttempt, outcome, { ...human, prompt: redact(human.prompt), approvals: [] });
  if (outcome.kind === 'done') return finish(rt, runId, stepId, undoAttempt, { ...outcome, result: { summary: outcome.result.summary && redact(outcome.result.summary) } });
  if (outcome.kind === 'failed') return finish(rt, runId, stepId, undoAttempt, { ...outcome, error: redact(outcome.error) });
  if (outcome.kind === 'described') return finish(rt, runId, stepId, undoAttempt, outcome);
  return finish(rt, runId, stepId, undoAttempt, { kind: 'failed', error: `the undo ended with "${outcome.kind}", which an undo cannot do`, evidence: [] });
}

async function finish(rt: Runtime, runId: string, stepId: string, undoAttempt: number, outcome: Outcome, human?: ApprovalState): Promise<JobResult> {
  const now = rt.now();
  let follow: FollowUp = { jobs: [], finished: false };
  const run = await rt.store.update(runId, (r) => {
    const s = r.steps[stepIndex(r, stepId)]!;
    if (!s.undo || r.status !== 'rolling_back' || s.status !== 'undoing' || s.undo.attempt !== undoAttempt) return false;
    if (human) {
      moveStep(s, { type: 'undo_wait_human' }, now);
      s.undo.human = human;
      return;
    }
    if (outcome.kind === 'failed') {
      moveStep(s, { type: 'undo_fail' }, now);
      s.undo.error = outcome.error;
      moveRun(r, { type: 'pause_rollback' }, now);
      return;
    }
    moveStep(s, { type: 'undo_done' }, now);
    s.undo.summary = outcome.kind === 'done' ? outcome.result.summary : outcome.kind === 'described' ? outcome.text : undefined;
    r.rollback!.cursor++;
    follow = advanceRollback(r, now);
  });
  if (run.status === 'rollback_paused') rt.log.warn({ runId, stepId }, 'undo failed; rollback paused');
  // A manual undo that is a checklist shows its items and buttons on the step's own message.
  if (human?.checklist) await rt.messages.step(runId, run.channel, stepId);
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
    moveStep(s, { type: 'fail' }, now);
    s.error = 'approval expired before enough approvers decided';
    follow = afterFailure(r, s, now, r.runbook.steps[i]!.on_failure);
  });
  await rt.messages.step(runId, run.channel, stepId);
  return applyFollowUp(rt, run, follow);
}
