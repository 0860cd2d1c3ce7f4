// Human decisions on a rollback: asking for one (with `--to` and, past a point of no return,
// the runbook name typed), and settling an undo that failed or waits for a human. Authorized
// like /rollback (`can.rollback`; a manual undo by its own approvers), audited, refusals too.
import { PermissionDeniedError, PreconditionFailedError } from '../errors.js';
import { authorize, describe, principals } from './authorize.js';
import { Decisions } from './decisions.js';
import type { RollbackOptions, StepRef } from './engine-api.js';
import { advanceRollback, beginRollback, stepIndex, undoJob, type FollowUp } from './flow.js';
import { rollbackPreview, type RollbackPreview } from './rollback-plan.js';
import { applyFollowUp } from './step-outcome.js';
import { canRun, moveRun, moveStep, planUndo } from './state-machine.js';
import type { AuditKind, Run, StepState } from './types.js';

export class RollbackDecisions extends Decisions {
  protected publishAbort: (runId: string) => Promise<void> = async () => undefined;

  async checkRollback(runId: string, user: string, to?: string): Promise<Run> {
    const run = await this.mustGet(runId);
    // Inside the guard: a rollback that cannot be (already rolled back, bad --to) is audited too.
    await this.guard(run, 'rollback', user, () => void (authorize(run.runbook, 'rollback', user), refuseRollback(run, to)));
    return run;
  }

  async rollback(runId: string, user: string, reason: string, opts: RollbackOptions = {}): Promise<Run> {
    let follow: FollowUp = { jobs: [], finished: false };
    const note = opts.to ? `${reason} (--to ${opts.to})` : reason;
    const run = await this.mutate(runId, 'rollback', user, undefined, (r) => {
      authorize(r.runbook, 'rollback', user);
      const preview = refuseRollback(r, opts.to);
      const ponr = preview.pointOfNoReturn;
      if (ponr && (opts.confirm ?? '').trim() !== r.runbook.name) {
        throw new PreconditionFailedError(`Step ${ponr.name} was a point of no return: type ${r.runbook.name} exactly to roll back.`);
      }
      follow = beginRollback(r, user, reason, this.rt.now(), opts.to);
    }, note);
    await this.publishAbort(runId);
    await this.rt.store.reactivate(run.id);
    await this.rt.messages.rollback(run.id, run.channel);
    await applyFollowUp(this.rt, run, follow);
    return run;
  }

  /** Checks `can.rollback` before a reason modal opens (skip this undo / mark undone by hand). */
  async checkUndoDecision(ref: StepRef, user: string): Promise<Run> {
    const run = await this.mustGet(ref.runId);
    undoStep(run, ref, ['undo_failed', 'undo_waiting']);
    await this.guard(run, 'rollback', user, () => authorize(run.runbook, 'rollback', user), ref.stepId);
    return run;
  }

  async retryUndo(ref: StepRef, user: string): Promise<void> {
    await this.settleUndo(ref, user, 'undo_retry', ['undo_failed'], (r, s) => {
      planUndo(s, true); // the next undo job starts a fresh undo attempt
      moveRun(r, { type: 'resume_rollback' }, this.rt.now());
      return { jobs: [undoJob(r, s)], finished: false };
    });
  }

  async skipUndo(ref: StepRef, user: string, reason: string): Promise<void> {
    const text = needReason(reason, 'skip this undo');
    await this.settleUndo(ref, user, 'undo_skip', ['undo_failed', 'undo_waiting'], (r, s, now) => {
      moveStep(s, { type: 'undo_skip' }, now);
      s.undo!.decision = { kind: 'skip', user, at: now, reason: text };
      return this.next(r, now);
    }, text);
  }

  async markUndone(ref: StepRef, user: string, reason: string): Promise<void> {
    const text = needReason(reason, 'mark it undone by hand');
    await this.settleUndo(ref, user, 'undo_by_hand', ['undo_failed', 'undo_waiting'], (r, s, now) => {
      moveStep(s, { type: 'mark_undone' }, now);
      s.undo!.decision = { kind: 'by_hand', user, at: now, reason: text };
      return this.next(r, now);
    }, text);
  }

  /** A manual undo: one of its approvers confirms it is undone (counts toward its `min`). */
  async confirmUndo(ref: StepRef, user: string): Promise<void> {
    const now = this.rt.now();
    let follow: FollowUp = { jobs: [], finished: false };
    const run = await this.mutate(ref.runId, 'undo_confirm', user, ref.stepId, (r) => {
      const s = undoStep(r, ref, ['undo_waiting']);
      const h = s.undo!.human!;
      if (h.checklist) throw new PreconditionFailedError(`The undo of ${s.name} is a checklist: tick its items on the step's message.`);
      if (!principals(r.runbook, h.approvers).has(user)) throw new PermissionDeniedError(`Only ${describe(h.approvers)} may confirm the undo of ${s.name}.`);
      if (!h.allowSelf && user === r.startedBy) throw new PermissionDeniedError(`You started run ${r.id}, so someone else must confirm the undo of ${s.name} (allow_self is off).`);
      if (h.approvals.some((d) => d.user === user)) return false;
      h.approvals.push({ user, at: now });
      if (h.approvals.length < h.min) return;
      moveStep(s, { type: 'undo_done' }, now);
      s.undo!.summary = `Confirmed undone by ${h.approvals.map((d) => `<@${d.user}>`).join(', ')}`;
      r.rollback!.cursor = Math.max(r.rollback!.cursor, r.rollback!.order.indexOf(s.id)) + 1;
      follow = advanceRollback(r, now);
    });
    await this.rt.messages.rollback(run.id, run.channel);
    await applyFollowUp(this.rt, run, follow);
  }

  private next(r: Run, now: number): FollowUp {
    const s = r.rollback!;
    s.cursor += 1;
    if (r.status === 'rollback_paused') moveRun(r, { type: 'resume_rollback' }, now);
    return advanceRollback(r, now);
  }

  private async settleUndo(ref: StepRef, user: string, kind: AuditKind, from: StepState['status'][], apply: (r: Run, s: StepState, now: number) => FollowUp, note?: string) {
    const now = this.rt.now();
    let follow: FollowUp = { jobs: [], finished: false };
    const run = await this.mutate(ref.runId, kind, user, ref.stepId, (r) => {
      authorize(r.runbook, 'rollback', user);
      const s = undoStep(r, ref, from);
      follow = apply(r, s, now);
    }, note);
    await this.rt.messages.rollback(run.id, run.channel);
    await applyFollowUp(this.rt, run, follow);
  }
}

function needReason(reason: string, what: string): string {
  const text = reason.trim();
  if (text.length < 3) throw new PreconditionFailedError(`Say why you ${what}.`);
  return text.slice(0, 1000);
}

/** The rollback preview, or why no rollback can start now. */
function refuseRollback(run: Run, to?: string): RollbackPreview {
  if (!canRun(run.status, { type: 'rollback' })) {
    throw new PreconditionFailedError(run.status === 'rolled_back'
      ? `Run ${run.id} is already rolled back: nothing with an undo is still applied.`
      : `Run ${run.id} is ${run.status.replace(/_/g, ' ')}; a rollback cannot start now.`);
  }
  return rollbackPreview(run, to);
}

/** The step an undo button refers to, if the button is still current (ref.attempt = undo attempt). */
function undoStep(run: Run, ref: StepRef, expected: StepState['status'][]): StepState {
  const s = run.steps[stepIndex(run, ref.stepId)]!;
  if (!['rolling_back', 'rollback_paused'].includes(run.status) || !expected.includes(s.status) || (s.undo?.attempt ?? 0) !== ref.attempt) {
    throw new PreconditionFailedError(`This button is out of date: the undo of ${s.name} is ${s.undo?.status ?? 'not planned'} and run ${run.id} is ${run.status.replace(/_/g, ' ')}.`);
  }
  return s;
}
