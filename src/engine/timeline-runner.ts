// Jobs of the timeline: a timed step comes due, T-0 is reached, a reminder is due. Each is a
// BullMQ delayed job with a deterministic id; each checks the plan's generation first, so a
// timer from before a reschedule or a cancel does nothing. Times are read from the one clock.
import { formatDuration } from '../runbooks/duration.js';
import { afterFailure, isTerminal, stepIndex, type FollowUp } from './flow.js';
import type { JobResult } from './job-result.js';
import { applyFollowUp } from './step-outcome.js';
import type { Runtime } from './runtime.js';
import { moveRun, moveStep } from './state-machine.js';
import { LATE_AFTER_MS, ownerMentions, slackDate } from './timeline.js';
import type { Run } from './types.js';
import { md } from '../lib/mrkdwn.js';

/** Takes the run's lock; a problem text when another live run holds it. */
export async function acquireLock(rt: Runtime, run: Run): Promise<string | null> {
  for (let i = 0; i < 3; i++) {
    const holder = await rt.store.takeLock(run.lock, { runId: run.id, user: run.plan?.plannedBy ?? run.startedBy, at: rt.now() });
    if (!holder || holder.runId === run.id) return null;
    const held = await rt.store.get(holder.runId);
    if (held && !isTerminal(held) && held.status !== 'after_window') return `lock ${run.lock} is held by run ${held.id} (${held.runbook.name})`;
    await rt.store.releaseLock(run.lock, holder.runId); // left by a finished run or a crash
  }
  return `lock ${run.lock} is busy`;
}

export async function runDueJob(rt: Runtime, runId: string, stepId: string, gen: number): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run?.plan || run.plan.gen !== gen || run.plan.awaitingLateConfirm) return {};
  const st = run.steps[stepIndex(run, stepId)]!;
  if (st.status !== 'pending' || st.due === undefined) return {};
  const now = rt.now();
  if (now < st.due) return { delayUntil: st.due }; // released early: wait for the clock
  if (!['planned', 'running', 'after_window'].includes(run.status)) return {};
  const needsLock = !st.prep && !st.afterWindow && !run.plan.locked;
  const lockProblem = needsLock ? await acquireLock(rt, run) : null;
  let follow: FollowUp = { jobs: [], finished: false };
  let late = 0;
  const updated = await rt.store.update(runId, (r) => {
    const i = stepIndex(r, stepId);
    const s = r.steps[i]!;
    if (r.plan?.gen !== gen || s.status !== 'pending') return false;
    if (r.status === 'planned') moveRun(r, { type: 'begin' }, now);
    if (r.status !== 'running' && r.status !== 'after_window') return false;
    late = now - s.due! > LATE_AFTER_MS ? now - s.due! : 0;
    if (late) s.late = late;
    if (lockProblem) {
      moveStep(s, { type: 'fail' }, now);
      s.error = `${lockProblem}; retry when it is free`;
      follow = afterFailure(r, s, now, 'pause');
      return;
    }
    if (needsLock) r.plan!.locked = true;
    r.cursor = i;
    follow = { jobs: [{ kind: 'step', runId, stepId, attempt: s.attempt }], finished: false };
  });
  if (late) {
    await rt.messages.notify(runId, `late-${stepId}-g${gen}`, md`:warning: ${st.name} starts ${formatDuration(late)} late: it was due ${slackDate(st.due)} (tzero was not running at its time).`, { channel: run.channel, inThread: true });
  }
  if (lockProblem) await rt.messages.step(runId, run.channel, stepId);
  if (run.status === 'planned') await rt.store.pointChannel(run.channel, runId); // it began: the channel's run now
  return applyFollowUp(rt, updated, follow);
}

/** T-0: the lock is taken at the latest now, and a plan still waiting starts. */
export async function runT0Job(rt: Runtime, runId: string, gen: number): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run?.plan || run.plan.gen !== gen || run.plan.awaitingLateConfirm) return {};
  const now = rt.now();
  if (now < run.plan.t0) return { delayUntil: run.plan.t0 };
  if (!['planned', 'running', 'paused'].includes(run.status)) return {};
  const lockProblem = run.plan.locked ? null : await acquireLock(rt, run);
  const updated = await rt.store.update(runId, (r) => {
    if (r.plan?.gen !== gen) return false;
    if (r.status === 'planned') moveRun(r, { type: 'begin' }, now);
    if (!lockProblem) r.plan.locked = true;
  });
  if (run.status === 'planned') await rt.store.pointChannel(run.channel, runId);
  const text = lockProblem ? md`:warning: T-0 reached but ${lockProblem}: the next step will try again.` : md`:large_blue_circle: T-0.`;
  await rt.messages.notify(runId, `t0-g${gen}`, text, { channel: run.channel, inThread: true });
  await rt.messages.changed(updated.id);
  return {};
}

/** A reminder before a step's time, in the run thread, mentioning its owner. */
export async function runRemindJob(rt: Runtime, runId: string, stepId: string, index: number, gen: number): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run?.plan || run.plan.gen !== gen || isTerminal(run)) return {};
  const i = stepIndex(run, stepId);
  const st = run.steps[i]!;
  const spec = run.runbook.steps[i]!;
  // A reminder that comes after the step's time (tzero was down) has nothing left to remind of.
  if (st.status !== 'pending' || st.due === undefined || rt.now() >= st.due) return {};
  const who = ownerMentions(run, spec.owner);
  const left = Math.max(0, st.due - rt.now());
  await rt.messages.notify(
    runId,
    `remind-${stepId}-${index}-g${gen}`,
    md`:alarm_clock: ${who} reminder: *${st.name}* is due ${slackDate(st.due)} (in ${formatDuration(left)}).`,
    { channel: run.channel, inThread: true },
  );
  rt.log.info({ runId, stepId, index }, 'reminder posted');
  return {};
}
