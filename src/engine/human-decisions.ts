// Decisions on steps that wait for humans in other ways than approve/reject: checklist ticks
// (Done / N/A) and reviewed notifications (Send / Edit / Hold). Authorized against the run's
// snapshot inside the atomic update, audited, refusals included.
import { PermissionDeniedError, PreconditionFailedError } from '../errors.js';
import { createRedactor } from '../lib/redact.js';
import { trustStored } from '../lib/mrkdwn.js';
import { composeNotifyText } from '../lib/notify-text.js';
import { describe, principals } from './authorize.js';
import { applyTick, checklistResult, mayTick, reviewResult } from './checklist.js';
import { RollbackDecisions } from './rollback-decisions.js';
import type { ReviewAction, StepRef, TickState } from './engine-api.js';
import { advance, advanceRollback, type FollowUp } from './flow.js';
import { runSecrets } from './scope.js';
import { applyFollowUp } from './step-outcome.js';
import { moveStep } from './state-machine.js';
import { liveStep, requireActive } from './step-ref.js';
import type { ApprovalState, Run, StepState } from './types.js';

/** Slack's section text limit; the edit modal caps its input at the same length. */
const REVIEW_TEXT_MAX = 3000;

export class HumanDecisions extends RollbackDecisions {
  async checkTicker(ref: StepRef, item: string, user: string): Promise<Run> {
    const run = await this.mustGet(ref.runId);
    const { state } = checklistOf(run, ref);
    await this.refuseAudited(run, 'tick', user, ref.stepId, () => mayTick(run, state, item, user));
    return run;
  }

  async tick(ref: StepRef, item: string, user: string, tick: TickState): Promise<{ complete: boolean }> {
    const now = this.rt.now();
    let complete = false;
    let follow: FollowUp = { jobs: [], finished: false };
    const note = `${item}: ${tick.state === 'na' ? `N/A: ${tick.reason.trim()}` : `done${tick.note ? `: ${tick.note.trim()}` : ''}`}`;
    let undo = false;
    const run = await this.mutate(ref.runId, 'tick', user, ref.stepId, (r) => {
      const { s, state, kind } = checklistOf(r, ref);
      undo = kind === 'undo';
      mayTick(r, state, item, user);
      complete = applyTick(state, item, user, tick, now);
      if (complete) follow = kind === 'undo' ? finishUndo(r, s, now, checklistResult(state).summary) : finish(r, s, now, checklistResult(state));
    }, note);
    await this.rt.messages.step(run.id, run.channel, ref.stepId);
    if (undo) await this.rt.messages.rollback(run.id, run.channel);
    await applyFollowUp(this.rt, run, follow);
    return { complete };
  }

  async checkReviewer(ref: StepRef, user: string): Promise<Run> {
    const run = await this.mustGet(ref.runId);
    const s = waiting(run, ref, 'review');
    await this.refuseAudited(run, 'review', user, ref.stepId, () => mayReview(run, s.approval!, user));
    return run;
  }

  async review(ref: StepRef, user: string, action: ReviewAction): Promise<void> {
    const now = this.rt.now();
    let follow: FollowUp = { jobs: [], finished: false };
    let post: { text: string; channel?: string } | undefined;
    const edited = action.kind === 'edit' ? action.text.trim() : undefined;
    if (edited !== undefined && !edited) throw new PreconditionFailedError('The message is empty.');
    if (edited !== undefined && edited.length > REVIEW_TEXT_MAX) throw new PreconditionFailedError(`Keep the message under ${REVIEW_TEXT_MAX} characters.`);
    const run = await this.mutate(ref.runId, 'review', user, ref.stepId, (r) => {
      requireActive(r);
      const s = waiting(r, ref, 'review');
      const a = s.approval!;
      mayReview(r, a, user);
      if (action.kind === 'hold') {
        (a.holds ??= []).push({ user, at: now });
        return;
      }
      const redact = createRedactor(runSecrets(r, this.rt.secrets).values());
      // An edit is the reviewer's mrkdwn, under the author's rules (own mentions and links live,
      // broadcasts shown as text); `${{ }}` typed in it stays text.
      const text = edited === undefined ? a.review!.text : redact(composeNotifyText(edited, (e) => `\${{ ${e} }}`, r.runbook.roles).text.text);
      a.sent = { user, at: now, text, edited: edited !== undefined };
      post = { text, ...(a.review!.channel ? { channel: a.review!.channel } : {}) };
      follow = finish(r, s, now, reviewResult(a, a.review!.channel ?? r.channel));
    }, action.kind === 'hold' ? 'held' : edited !== undefined ? 'edited and sent' : 'sent as drafted');
    if (post) {
      // After the update: only the one Send that won the update posts (the key makes it once).
      await this.rt.messages.notify(run.id, `${ref.stepId}.review.${ref.attempt}`, trustStored(post.text), { channel: post.channel ?? run.channel, inThread: !post.channel });
    }
    await this.rt.messages.step(run.id, run.channel, ref.stepId);
    await applyFollowUp(this.rt, run, follow);
  }

  /** Runs a permission check outside an update; a refusal is audited before it is answered. */
  private async refuseAudited(run: Run, kind: 'tick' | 'review', user: string, step: string, check: () => void): Promise<void> {
    try {
      check();
    } catch (err) {
      if (err instanceof PermissionDeniedError) await this.audit(run, 'denied', user, step, `${kind}: ${err.message}`);
      throw err;
    }
  }
}

/**
 * The checklist a button refers to: a `checklist` step waiting in the run, or a checklist `undo`
 * waiting in a rollback ("confirm by hand that X is undone"; ref.attempt is then the undo attempt).
 */
function checklistOf(run: Run, ref: StepRef): { s: StepState; state: ApprovalState; kind: 'step' | 'undo' } {
  const s = run.steps.find((x) => x.id === ref.stepId);
  if (s?.status === 'undo_waiting' && s.undo?.human?.checklist) {
    if (!['rolling_back', 'rollback_paused'].includes(run.status) || s.undo.attempt !== ref.attempt) {
      throw new PreconditionFailedError(`This button is out of date: run ${run.id} is ${run.status.replace(/_/g, ' ')}.`);
    }
    return { s, state: s.undo.human, kind: 'undo' };
  }
  requireActive(run);
  const step = waiting(run, ref, 'checklist');
  return { s: step, state: step.approval!, kind: 'step' };
}

function waiting(run: Run, ref: StepRef, kind: 'checklist' | 'review'): StepState {
  const s = liveStep(run, ref, ['awaiting_approval']);
  if (!s.approval?.[kind]) throw new PreconditionFailedError(`Step ${s.id} is not a ${kind === 'review' ? 'reviewed message' : 'checklist'}.`);
  return s;
}

function mayReview(run: Run, a: ApprovalState, user: string): void {
  if (!principals(run.runbook, a.approvers).has(user)) throw new PermissionDeniedError(`Only ${describe(a.approvers)} may review this message.`);
}

/** A checklist undo is complete: the step is undone (confirmed by hand), the rollback goes on. */
function finishUndo(r: Run, s: StepState, now: number, summary: string): FollowUp {
  moveStep(s, { type: 'undo_done' }, now);
  s.undo!.summary = `Confirmed by hand: ${summary}`;
  r.rollback!.cursor = Math.max(r.rollback!.cursor, r.rollback!.order.indexOf(s.id)) + 1;
  return advanceRollback(r, now);
}

/** The step's human decision completed it (like an approval): record the result and move on. */
function finish(r: Run, s: StepState, now: number, result: ReturnType<typeof checklistResult>): FollowUp {
  moveStep(s, { type: 'approve' }, now);
  Object.assign(s, result);
  return advance(r, now);
}
