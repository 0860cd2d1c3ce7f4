// After a restart, runs go on by themselves: the job for each active run's current work is
// enqueued again. Job ids are deterministic, so work that is still queued is not doubled.
import type { StepJob } from '../jobs/job-ids.js';
import type { Runtime } from './runtime.js';
import { undoJob } from './flow.js';

export async function recoverRuns(rt: Runtime): Promise<number> {
  let count = 0;
  for (const id of await rt.store.activeRunIds()) {
    const run = await rt.store.get(id);
    if (!run) continue;
    const jobs: StepJob[] = [];
    // after_window: the after-window steps run like any step (issue #7).
    if (run.status === 'running' || run.status === 'after_window') {
      const s = run.steps[run.cursor];
      // A timed step still pending waits for its time: its due job (same id as the delayed one).
      if (s?.status === 'pending' && run.plan && s.due !== undefined) jobs.push({ kind: 'due', runId: id, stepId: s.id, gen: run.plan.gen, at: s.due });
      else if (s && ['pending', 'running', 'waiting', 'done', 'skipped'].includes(s.status)) {
        jobs.push({ kind: 'step', runId: id, stepId: s.id, attempt: s.attempt });
      }
      if (s?.status === 'awaiting_approval' && s.approval?.expiresAt) jobs.push({ kind: 'expire', runId: id, stepId: s.id, attempt: s.attempt });
    } else if (run.status === 'rolling_back' && run.rollback) {
      const stepId = run.rollback.order[run.rollback.cursor];
      const s = run.steps.find((x) => x.id === stepId);
      // An undo waiting for a human, or a paused rollback, waits for a click, not a job.
      if (s && (s.undo?.status === 'pending' || s.status === 'undoing')) jobs.push(undoJob(run, s));
    }
    for (const job of jobs) {
      const at = job.kind === 'expire' ? run.steps[run.cursor]?.approval?.expiresAt : job.kind === 'step' ? run.steps[run.cursor]?.waitUntil : undefined;
      await rt.jobs.enqueue(job, { at });
      count++;
    }
    await rt.messages.changed(id);
  }
  if (count) rt.log.info({ count }, 'recovered active runs');
  return count;
}

/** A run whose first step has not started this long after the start was left half-started. */
export const HALF_STARTED_AFTER_MS = 4000;

/**
 * Every replica runs this every few seconds: a run whose replica died in the middle of
 * `/cutover start` (after the run record, before its card or first job) is taken over, instead
 * of staying "running 0/N" with its lock held until that replica comes back. Idempotent: the
 * card is ensured and the job id is deterministic, so a start that is merely slow is not doubled.
 */
export async function takeOverHalfStarted(rt: Runtime): Promise<number> {
  let count = 0;
  const now = rt.now();
  for (const id of await rt.store.activeRunIds()) {
    const run = await rt.store.get(id);
    // A timed run's first step waits for its time (its due job), not for a takeover.
    if (!run || run.plan || run.status !== 'running' || now - run.startedAt < HALF_STARTED_AFTER_MS) continue;
    const first = run.steps[0];
    if (!first || run.steps.some((s) => s.status !== 'pending' || s.startedAt)) continue;
    await rt.messages.card(run.id, run.channel);
    await rt.jobs.enqueue({ kind: 'step', runId: id, stepId: first.id, attempt: first.attempt });
    rt.log.warn({ runId: id }, 'took over a half-started run');
    count++;
  }
  return count;
}
