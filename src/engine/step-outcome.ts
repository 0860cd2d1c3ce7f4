// Writes what a step execution produced into the run record and decides what comes next.
import { redactDeep, type Redact } from '../lib/redact.js';
import { formatDuration } from '../runbooks/duration.js';
import { advance, afterFailure, freshAttempt, stepIndex, type FollowUp } from './flow.js';
import type { Outcome } from './step-executor.js';
import { rehearsalReport } from './rehearsal.js';
import type { Runtime } from './runtime.js';
import type { JobResult } from './job-result.js';
import { canStep, moveRun, moveStep, type StepEvent } from './state-machine.js';
import type { Run } from './types.js';
import { rehearsalRecord } from './drift.js';
import { md } from '../lib/mrkdwn.js';
import { ownerMentions } from './timeline.js';

export type StepOutcome = Outcome | { kind: 'in_doubt'; note: string };

const RETRY_BACKOFF_MS = 2000;

// A failure may end a step still pending (its `if:` could not be evaluated); an automatic
// retry is checked as a failure first.
const EVENT_OF: Record<StepOutcome['kind'], StepEvent> = {
  done: { type: 'finish' },
  described: { type: 'finish' },
  wait: { type: 'wait' },
  approval: { type: 'await_approval' },
  aborted: { type: 'abort' },
  in_doubt: { type: 'in_doubt' },
  failed: { type: 'fail' },
};

export async function persistOutcome(
  rt: Runtime,
  runId: string,
  stepId: string,
  attempt: number,
  outcome: StepOutcome,
  redact: Redact,
): Promise<JobResult> {
  const now = rt.now();
  let follow: FollowUp = { jobs: [], finished: false };
  let result: JobResult = {};
  let retryAt: number | undefined;
  const run = await rt.store.update(runId, (r) => {
    const i = stepIndex(r, stepId);
    const s = r.steps[i]!;
    const spec = r.runbook.steps[i]!;
    // The run moved on without us (aborted, rolled back, retried): keep what it says.
    if (s.attempt !== attempt || !canStep(s.status, EVENT_OF[outcome.kind])) return false;
    switch (outcome.kind) {
      case 'done':
      case 'described': {
        const res = outcome.kind === 'done' ? outcome.result : { summary: outcome.text, outputs: outcome.outputs };
        moveStep(s, { type: 'finish' }, now);
        Object.assign(s, {
          rehearsal: r.dryRun ? (outcome.kind === 'done' ? 'ran' : 'described') : undefined,
          outputs: redactDeep(res.outputs ?? {}, redact),
          summary: res.summary ? redact(res.summary) : undefined,
          evidence: res.evidence?.map(redact),
          waitUntil: undefined,
        });
        follow = advance(r, now);
        return;
      }
      case 'wait':
        moveStep(s, { type: 'wait' }, now);
        s.waitUntil = outcome.at;
        result = { delayUntil: outcome.at };
        return;
      case 'approval': {
        const q = outcome.request;
        moveStep(s, { type: 'await_approval' }, now);
        s.approval = { ...q, prompt: redact(q.prompt), approvals: [] };
        if (q.expiresAt) follow = { jobs: [{ kind: 'expire', runId, stepId, attempt }], finished: false };
        retryAt = q.expiresAt;
        return;
      }
      case 'aborted':
        moveStep(s, { type: 'abort' }, now);
        return;
      case 'in_doubt':
        moveStep(s, { type: 'in_doubt' }, now);
        s.note = outcome.note;
        moveRun(r, { type: 'pause' }, now);
        return;
      case 'failed': {
        s.error = redact(outcome.error);
        s.evidence = outcome.evidence.map(redact);
        s.facts = outcome.facts && redactDeep(outcome.facts, redact);
        const used = s.autoRetries ?? 0;
        if (used < spec.retries) {
          freshAttempt(s, now);
          s.autoRetries = used + 1;
          s.note = `automatic retry ${used + 1}/${spec.retries} after: ${redact(outcome.error)}`;
          retryAt = now + RETRY_BACKOFF_MS * 2 ** used;
          follow = { jobs: [{ kind: 'step', runId, stepId, attempt: s.attempt }], finished: false };
          return;
        }
        moveStep(s, { type: 'fail' }, now);
        follow = afterFailure(r, s, now, spec.on_failure);
      }
    }
  });
  await rt.messages.step(runId, run.channel, stepId);
  await pingOwner(rt, run, stepId);
  if (outcome.kind === 'done' || outcome.kind === 'failed') {
    const s = run.steps.find((x) => x.id === stepId)!;
    rt.log.info({ runId, stepId, status: s.status, ms: (s.endedAt ?? now) - (s.startedAt ?? now) }, 'step ended');
  }
  await applyFollowUp(rt, run, follow, retryAt);
  return result;
}

/** Enqueues follow-up jobs, releases the lock of a finished run, and refreshes the card. */
export async function applyFollowUp(rt: Runtime, run: Run, follow: FollowUp, at?: number): Promise<JobResult> {
  for (const job of follow.jobs) await rt.jobs.enqueue(job, { at: job.kind === 'step' || job.kind === 'expire' ? at : undefined });
  // Out of the window: after-window steps run without the lock (another cutover may take it).
  if (run.status === 'after_window') await rt.store.releaseLock(run.lock, run.id);
  if (follow.finished) {
    // Recorded before the lock is released: the next live start of this runbook compares with it.
    if (run.status === 'rehearsed') await rt.store.recordRehearsal(run.runbook.name, rehearsalRecord(run));
    await rt.store.finish(run);
    if (run.status === 'rehearsed') {
      await rt.messages.notify(run.id, 'rehearsal-summary', rehearsalReport(run), { channel: run.channel, inThread: true });
    }
    await rt.silences?.endForRun(run.id);
    rt.log.info({ runId: run.id, status: run.status, took: formatDuration((run.endedAt ?? rt.now()) - run.startedAt) }, 'run ended');
    // Not awaited: the report waits for the card's ts and uploads; the job must not wait on Slack.
    rt.reports?.ended(run.id).catch((err: unknown) => rt.log.warn({ runId: run.id, err }, 'report not posted'));
  }
  await rt.messages.changed(run.id);
  return {};
}

/** Why a step now waits for a person, by its status; other statuses need nobody. */
const NEEDS_YOU: Partial<Record<string, string>> = {
  awaiting_approval: 'waits for you',
  failed: 'failed: Retry, Skip or Roll back',
  in_doubt: 'is in doubt: Run again, Mark done or Roll back',
};

/**
 * A step with an `owner` that now needs a human mentions the owner in a new thread message
 * (edits never notify). Keyed per attempt and status, so a redelivered job pings once.
 */
async function pingOwner(rt: Runtime, run: Run, stepId: string): Promise<void> {
  const i = stepIndex(run, stepId);
  const st = run.steps[i];
  const owner = run.runbook.steps[i]?.owner;
  const why = st && NEEDS_YOU[st.status];
  if (!st || !owner || !why || run.status === 'rolling_back') return;
  await rt.messages.notify(run.id, `owner-${stepId}-${st.attempt}-${st.status}`, md`:raised_hand: ${ownerMentions(run, owner)}: *${st.name}* ${why}.`, { channel: run.channel, inThread: true });
}
