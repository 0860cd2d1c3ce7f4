// Human decisions on a step: approve, reject, retry, skip, and resolving an in-doubt step.
// Each is authorized against the run's snapshot inside the atomic update and audited,
// including refusals.
import { PermissionDeniedError, PreconditionFailedError, TzeroError } from '../errors.js';
import type { Action } from '../runbooks/schema.js';
import { authorize, describe, principals } from './authorize.js';
import type { ApproveResult, InDoubtChoice, StepRef } from './engine-api.js';
import { advance, afterFailure, freshAttempt, stepIndex, type FollowUp } from './flow.js';
import { ConflictError } from './run-store.js';
import { applyFollowUp } from './step-outcome.js';
import { liveStep, requireActive } from './step-ref.js';
import type { Runtime } from './runtime.js';
import type { AuditKind, Run, StepState } from './types.js';
import { moveRun, moveStep } from './state-machine.js';

export class Decisions {
  constructor(protected readonly rt: Runtime) {}

  async checkApprover(ref: StepRef, user: string): Promise<Run> {
    const run = await this.mustGet(ref.runId);
    await this.guard(run, 'approve', user, () => this.mayApprove(run, liveStep(run, ref, ['awaiting_approval']), user), ref.stepId);
    return run;
  }

  async checkSkip(ref: StepRef, user: string): Promise<Run> {
    const run = await this.mustGet(ref.runId);
    await this.guard(run, 'skip', user, () => (liveStep(run, ref, ['failed', 'in_doubt']), authorize(run.runbook, 'skip', user, ref.stepId)), ref.stepId);
    return run;
  }

  async approve(ref: StepRef, user: string, confirmText?: string): Promise<ApproveResult> {
    const now = this.rt.now();
    let result: ApproveResult = { count: 0, min: 1, approved: false };
    let follow: FollowUp = { jobs: [], finished: false };
    let counted = false;
    const run = await this.mutate(ref.runId, 'approve', user, ref.stepId, (r) => {
      requireActive(r);
      const s = liveStep(r, ref, ['awaiting_approval']);
      this.mayApprove(r, s, user);
      const a = s.approval!;
      if (a.confirmText !== undefined && (confirmText ?? '').trim() !== a.confirmText) {
        throw new PreconditionFailedError(`Type ${a.confirmText} exactly to approve.`);
      }
      // A double click, or the same person on two devices, counts once.
      if (a.approvals.some((d) => d.user === user)) {
        result = { count: a.approvals.length, min: a.min, approved: false };
        return false;
      }
      counted = true;
      a.approvals.push({ user, at: now, note: confirmText });
      result = { count: a.approvals.length, min: a.min, approved: a.approvals.length >= a.min };
      if (result.approved) {
        moveStep(s, { type: 'approve' }, now);
        s.summary = `Approved by ${a.approvals.map((d) => `<@${d.user}>`).join(', ')}`;
        follow = advance(r, now);
      }
    }, undefined, false);
    if (counted) await this.audit(run, 'approve', user, ref.stepId, `${result.count}/${result.min}`);
    await this.rt.messages.step(run.id, run.channel, ref.stepId);
    await applyFollowUp(this.rt, run, follow);
    return result;
  }

  async reject(ref: StepRef, user: string): Promise<void> {
    const now = this.rt.now();
    let follow: FollowUp = { jobs: [], finished: false };
    const run = await this.mutate(ref.runId, 'reject', user, ref.stepId, (r) => {
      requireActive(r);
      const s = liveStep(r, ref, ['awaiting_approval']);
      this.mayApprove(r, s, user);
      s.approval!.rejection = { user, at: now };
      moveStep(s, { type: 'fail' }, now);
      s.error = `Rejected by <@${user}>`;
      follow = afterFailure(r, s, now, r.runbook.steps[stepIndex(r, s.id)]!.on_failure);
    });
    await this.rt.messages.step(run.id, run.channel, ref.stepId);
    await applyFollowUp(this.rt, run, follow);
  }

  async retry(ref: StepRef, user: string): Promise<void> {
    await this.rerun(ref, user, 'retry', ['failed']);
  }

  async skip(ref: StepRef, user: string, reason: string): Promise<void> {
    const text = reason.trim();
    if (!text) throw new PreconditionFailedError('Say why you skip this step.');
    await this.settle(ref, user, 'skip', (s, now) => {
      moveStep(s, { type: 'skip' }, now);
      s.skipped = { user, at: now, reason: text };
    }, text);
  }

  async resolveInDoubt(ref: StepRef, user: string, choice: InDoubtChoice): Promise<void> {
    if (choice === 'run_again') return this.rerun(ref, user, 'run_again', ['in_doubt']);
    await this.settle(ref, user, 'mark_done', (s, now) => {
      moveStep(s, { type: 'mark_done' }, now);
      s.summary = `Marked done by <@${user}> after a restart`;
    });
  }

  private async rerun(ref: StepRef, user: string, kind: 'retry' | 'run_again', from: StepState['status'][]): Promise<void> {
    let attempt = 0;
    const run = await this.mutate(ref.runId, kind, user, ref.stepId, (r) => {
      requireActive(r);
      const s = liveStep(r, ref, from);
      authorize(r.runbook, 'retry', user, ref.stepId);
      freshAttempt(s, this.rt.now());
      s.autoRetries = 0;
      attempt = s.attempt;
      moveRun(r, { type: 'resume' }, this.rt.now());
      r.cursor = stepIndex(r, s.id);
    });
    await this.rt.jobs.enqueue({ kind: 'step', runId: run.id, stepId: ref.stepId, attempt });
    await this.rt.messages.step(run.id, run.channel, ref.stepId);
    await this.rt.messages.changed(run.id);
  }

  /** Marks a failed or in-doubt step as settled (skipped / done) and goes on. */
  private async settle(ref: StepRef, user: string, kind: 'skip' | 'mark_done', apply: (s: StepState, now: number) => void, note?: string) {
    const now = this.rt.now();
    let follow: FollowUp = { jobs: [], finished: false };
    const run = await this.mutate(ref.runId, kind, user, ref.stepId, (r) => {
      requireActive(r);
      const s = liveStep(r, ref, kind === 'skip' ? ['failed', 'in_doubt'] : ['in_doubt']);
      authorize(r.runbook, 'skip', user, ref.stepId);
      apply(s, now);
      moveRun(r, { type: 'resume' }, now);
      follow = advance(r, now);
    }, note);
    await this.rt.messages.step(run.id, run.channel, ref.stepId);
    await applyFollowUp(this.rt, run, follow);
  }

  private mayApprove(run: Run, s: StepState, user: string): void {
    const a = s.approval!;
    // Checklists and reviews have their own decisions (human-decisions.ts), never approve/reject.
    if (a.checklist || a.review) throw new PreconditionFailedError(`Step ${s.id} is not decided by approve or reject.`);
    if (!principals(run.runbook, a.approvers).has(user)) {
      throw new PermissionDeniedError(`Only ${describe(a.approvers)} may decide step ${s.id}.`);
    }
    if (!a.allowSelf && user === run.startedBy) {
      throw new PermissionDeniedError(`You started run ${run.id}, so someone else must approve step ${s.id} (allow_self is off).`);
    }
  }

  protected async mustGet(runId: string): Promise<Run> {
    const run = await this.rt.store.get(runId);
    if (!run) throw new PreconditionFailedError(`I can't find run ${runId}. \`/cutover status\` lists recent runs.`);
    return run;
  }

  /** Runs a check (authorization, live state) and records a refusal in the audit log. */
  /** Without a run (a start), `step` is the runbook's name and `hash` its file's hash. */
  protected async guard(run: Run | undefined, what: Action | 'approve', user: string, check: () => void, step?: string, hash = ''): Promise<void> {
    try {
      check();
    } catch (err) {
      const kind = refusal(err);
      if (run && kind) await this.audit(run, kind, user, step, `${what}: ${(err as Error).message}`);
      else if (kind && step) {
        // A refused start has no run: it goes on the runbook's trail, and in the log.
        this.rt.log.warn({ user, action: what, runbook: step }, 'start refused');
        await this.rt.store.appendRunbookAudit(step, { kind, user, at: this.rt.now(), hash, note: `${what}: ${(err as Error).message}` });
      }
      throw err;
    }
  }

  /** Atomic update + audit; refusals (permission) are audited too. */
  protected async mutate(runId: string, kind: AuditKind, user: string, step: string | undefined, fn: (r: Run) => void | false, note?: string, auditOk = true): Promise<Run> {
    let run: Run;
    try {
      run = await this.rt.store.update(runId, fn);
    } catch (err) {
      if (err instanceof ConflictError) throw new PreconditionFailedError(`I can't find run ${runId}.`);
      // Every refusal is on the record: a missing permission, and a request that no longer
      // fits the run (a click on a step that is not current, a run already ended).
      const refused = refusal(err);
      if (refused) {
        const r = await this.rt.store.get(runId);
        if (r) await this.audit(r, refused, user, step, `${kind}: ${(err as Error).message}`);
      }
      throw err;
    }
    if (auditOk) await this.audit(run, kind, user, step, note);
    return run;
  }

  protected audit(run: Run, kind: AuditKind, user: string, step?: string, note?: string): Promise<void> {
    return this.rt.store.appendAudit(run.id, { kind, user, at: this.rt.now(), step, hash: run.hash, note });
  }
}

function refusal(err: unknown): 'denied' | 'refused' | null {
  if (err instanceof PermissionDeniedError || (err instanceof TzeroError && err.code === 'permission_denied')) return 'denied';
  if (err instanceof TzeroError && (err.code === 'precondition_failed' || err.code === 'invalid_runbook')) return 'refused';
  return null;
}
