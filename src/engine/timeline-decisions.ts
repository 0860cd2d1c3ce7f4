// Human decisions on a run's timeline: running late steps after a late start, cancelling and
// rescheduling a plan, handing a role over. Authorized against the run's snapshot, audited,
// applied atomically. Statuses change only through the state machine.
import { PermissionDeniedError, PreconditionFailedError } from '../errors.js';
import { authorize, principals } from './authorize.js';
import { advance, isTerminal, type FollowUp } from './flow.js';
import { HumanDecisions } from './human-decisions.js';
import { applyFollowUp } from './step-outcome.js';
import { canStep, moveRun, moveStep } from './state-machine.js';
import { planJobs, snapshotSteps, timelineFields } from './timeline.js';
import type { Run } from './types.js';
import { md, user as mention } from '../lib/mrkdwn.js';

const ACTIVE_STEP = ['running', 'waiting', 'awaiting_approval'];

export class TimelineDecisions extends HumanDecisions {
  /** Arms a plan's timers: reminders, T-0, and the first step's due time. */
  protected async arm(runId: string): Promise<Run> {
    const now = this.rt.now();
    let follow: FollowUp = { jobs: [], finished: false };
    const run = await this.rt.store.update(runId, (r) => {
      follow = { jobs: [], finished: false };
      if (r.steps.some((s) => ACTIVE_STEP.includes(s.status))) return false; // the next due job is armed when it ends
      follow = advance(r, now);
    });
    for (const job of planJobs(run, now)) await this.rt.jobs.enqueue(job);
    await applyFollowUp(this.rt, run, follow);
    return run;
  }

  /** `/cutover start` of a timed runbook found T-minus steps already late: run them now. */
  async runLate(runId: string, user: string): Promise<Run> {
    await this.mutate(runId, 'run_late', user, undefined, (r) => {
      authorize(r.runbook, 'start', user);
      if (!r.plan?.awaitingLateConfirm) throw new PreconditionFailedError(`Run ${r.id} is not waiting for a confirmation.`);
      r.plan.awaitingLateConfirm = undefined;
    });
    return this.arm(runId);
  }

  /** Cancels a plan before T-0: its timers become stale, running preparation is stopped. */
  async cancel(runId: string, user: string, reason: string): Promise<Run> {
    const now = this.rt.now();
    const run = await this.mutate(runId, 'cancel', user, undefined, (r) => {
      authorize(r.runbook, 'start', user);
      if (!r.plan) throw new PreconditionFailedError(`Run ${r.id} is not a plan; use \`/cutover abort ${r.id}\`.`);
      if (now >= r.plan.t0) throw new PreconditionFailedError(`Run ${r.id} reached T-0; a plan can be cancelled only before. Use \`/cutover abort\` or \`/rollback\`.`);
      if (isTerminal(r) || !['planned', 'running', 'paused'].includes(r.status)) throw new PreconditionFailedError(`Run ${r.id} is ${r.status.replace(/_/g, ' ')}; nothing to cancel.`);
      moveRun(r, { type: 'cancel' }, now);
      r.plan.gen += 1;
      r.plan.cancelled = { user, at: now, reason };
      for (const s of r.steps) {
        if (canStep(s.status, { type: 'abort' }) && s.status !== 'pending') moveStep(s, { type: 'abort' }, now);
        else if (s.status === 'pending') {
          moveStep(s, { type: 'cancel' }, now);
          s.note = 'cancelled with the plan';
        }
      }
    }, reason);
    await this.publishAbort(runId);
    await this.rt.messages.notify(run.id, `cancelled`, md`:no_entry_sign: Plan cancelled by ${mention(user)}: ${reason}`, { channel: run.channel, inThread: true });
    await applyFollowUp(this.rt, run, { jobs: [], finished: true });
    return run;
  }

  /** Moves T-0 and every pending timed step; timers of the old generation can no longer act. */
  async reschedule(runId: string, user: string, t0: number): Promise<Run> {
    const now = this.rt.now();
    if (t0 <= now) throw new PreconditionFailedError('The new T-0 is in the past.');
    let old: Run | undefined;
    const run = await this.mutate(runId, 'reschedule', user, undefined, (r) => {
      authorize(r.runbook, 'start', user);
      if (!r.plan) throw new PreconditionFailedError(`Run ${r.id} is not a plan.`);
      if (now >= r.plan.t0) throw new PreconditionFailedError(`Run ${r.id} reached T-0; it can no longer be rescheduled.`);
      if (!['planned', 'running', 'paused'].includes(r.status)) throw new PreconditionFailedError(`Run ${r.id} is ${r.status.replace(/_/g, ' ')}; nothing to reschedule.`);
      old = structuredClone(r);
      const fields = timelineFields(snapshotSteps(r), t0);
      r.steps.forEach((s, i) => {
        if (s.status === 'pending') Object.assign(s, { due: fields[i]!.due, prep: fields[i]!.prep });
      });
      r.plan.t0 = t0;
      r.plan.gen += 1;
    }, new Date(t0).toISOString());
    // Best effort: remove the old timers (those that fire anyway find a stale generation).
    if (old?.plan && this.rt.jobs.cancel) {
      const gen = old.plan.gen;
      await this.rt.jobs.cancel({ kind: 't0', runId, gen, at: old.plan.t0 });
      for (const s of old.steps) if (s.due !== undefined) await this.rt.jobs.cancel({ kind: 'due', runId, stepId: s.id, gen, at: s.due });
    }
    await this.arm(runId);
    await this.rt.messages.changed(runId);
    return run;
  }

  /** Hands a role over for this run: the lead or the role's current holder may. */
  async handover(runId: string, role: string, to: string, user: string): Promise<Run> {
    const now = this.rt.now();
    return this.mutate(runId, 'handover', user, undefined, (r) => {
      const holders = r.runbook.roles[role];
      if (!holders) throw new PreconditionFailedError(`Run ${r.id} has no role "${role}". Roles: ${Object.keys(r.runbook.roles).join(', ') || 'none'}.`);
      if (!principals(r.runbook, ['lead']).has(user) && !holders.includes(user)) {
        throw new PermissionDeniedError(`You can't hand over ${role}: only the lead or its current holder (${holders.map((u) => `<@${u}>`).join(', ')}) may.`);
      }
      if (isTerminal(r)) throw new PreconditionFailedError(`Run ${r.id} is ${r.status.replace(/_/g, ' ')}.`);
      r.handovers = [...(r.handovers ?? []), { user, at: now, role, from: holders, to }];
      r.runbook.roles[role] = [to];
    }, `${role} → ${to}`);
  }
}
