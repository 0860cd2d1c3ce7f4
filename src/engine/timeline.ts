// The timeline of a timed run, as pure functions of the runbook and T-0: when each step is
// due, which steps are preparation (before T-0, no lock), and when reminders go out.
import { parseDuration, parseOffset } from '../runbooks/duration.js';
import type { Runbook, Step } from '../runbooks/schema.js';
import type { StepJob } from '../jobs/job-ids.js';
import type { Run, StepState } from './types.js';
import { date, esc, mdJoin, user, type Mrkdwn } from '../lib/mrkdwn.js';

/** Started later than this after its due time: flagged late (tzero was down, or a late start). */
export const LATE_AFTER_MS = 5_000;
const DEFAULT_REMIND = ['1h'];

export const isTimed = (rb: Runbook): boolean => [...rb.steps, ...(rb.after_window ?? [])].some((s) => s.at !== undefined);

/** Every step of a run, the after-window ones last (the run's snapshot keeps them in `steps`). */
export function allSteps(rb: Runbook): Array<Step & { afterWindow?: boolean }> {
  return [...rb.steps, ...(rb.after_window ?? []).map((s) => ({ ...s, afterWindow: true }))];
}

/**
 * Due times: a step with `at` is due at T-0 + at; a step without follows the previous one
 * (its due time is the previous one's, as a lower bound). Preparation = due before T-0.
 */
export function timelineFields(steps: Array<Step & { afterWindow?: boolean }>, t0: number): Array<Pick<StepState, 'due' | 'prep' | 'afterWindow'>> {
  let previous = t0;
  return steps.map((s, i) => {
    const due = s.at !== undefined ? t0 + parseOffset(s.at) : i === 0 ? t0 : previous;
    previous = due;
    // The first step waits for T-0 even without `at`: a plan starts nothing before its time.
    const timed = s.at !== undefined || i === 0;
    return { ...(timed ? { due } : {}), prep: due < t0, ...(s.afterWindow ? { afterWindow: true } : {}) };
  });
}

/** The snapshot's steps with their after-window flags (the snapshot keeps them in `steps`). */
export function snapshotSteps(run: Run): Array<Step & { afterWindow?: boolean }> {
  return run.runbook.steps.map((s, i) => ({ ...s, ...(run.steps[i]?.afterWindow ? { afterWindow: true } : {}) }));
}

/** Pending steps already past their time (a plan made too late, or `/cutover start` of a timed runbook). */
export function lateSteps(run: Run, now: number): StepState[] {
  return run.steps.filter((s) => s.status === 'pending' && s.due !== undefined && s.due < now - LATE_AFTER_MS);
}

/** The reminders of a plan still ahead of `now`: [1h] by default for a step with `at` and `owner`. */
export function reminderJobs(run: Run, now: number): StepJob[] {
  const plan = run.plan;
  if (!plan) return [];
  const jobs: StepJob[] = [];
  run.runbook.steps.forEach((spec, i) => {
    const st = run.steps[i]!;
    if (st.due === undefined || st.status !== 'pending' || !spec.owner) return;
    (spec.remind ?? DEFAULT_REMIND).forEach((before, index) => {
      const at = st.due! - parseDuration(before);
      if (at > now) jobs.push({ kind: 'remind', runId: run.id, stepId: st.id, index, gen: plan.gen, at });
    });
  });
  return jobs;
}

/** The timers a plan arms up front: its reminders and T-0 (the lock at the latest, the start). */
export function planJobs(run: Run, now: number): StepJob[] {
  const plan = run.plan!;
  return [...reminderJobs(run, now), { kind: 't0', runId: run.id, gen: plan.gen, at: plan.t0 }];
}

/** Who an owner stands for: a role's holders on this run, or the user. */
export function ownerMentions(run: Run, owner: string | undefined): Mrkdwn {
  if (!owner) return esc('');
  const users = run.runbook.roles[owner] ?? (/^[UW][A-Z0-9]+$/.test(owner) ? [owner] : []);
  return users.length ? mdJoin(users.map(user), ' ') : esc(owner);
}

/** `<!date^…>`: each reader sees their own time zone; the fallback is UTC. */
export const slackDate = (ms: number): Mrkdwn => date(ms);
