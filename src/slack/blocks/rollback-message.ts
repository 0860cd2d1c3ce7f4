// The thread message that tracks a rollback: one line per step with an undo, in undo order;
// steps with nothing to undo collapse into one line; what is still applied is listed. While
// an undo failed (the rollback is paused) or waits for a human, its buttons are here.
import { stillApplied } from '../../engine/rollback-plan.js';
import type { Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, context, cut, esc, LIMITS, section, user, type Button, type KnownBlock, type SlackMessage } from './kit.js';
import { RUN_LABEL, stamp, stepDuration, UNDO_LABEL } from './labels.js';
import { packLines, runTitle } from './run-card.js';
import { stepRefValue } from './values.js';

const EMOJI = { pending: ':white_circle:', running: ':rewind:', waiting: ':raised_hand:', done: ':leftwards_arrow_with_hook:', failed: ':bangbang:', skipped: ':warning:', none: ':heavy_minus_sign:' };

function undoLine(step: StepState, index: number, now: number): string {
  const u = step.undo ?? { status: 'none' as const };
  const parts = [`${EMOJI[u.status]} ${index + 1}. *${esc(step.id)}* ${UNDO_LABEL[u.status]}`];
  if (u.startedAt !== undefined && u.status !== 'none') parts.push(stepDuration({ ...step, startedAt: u.startedAt, endedAt: u.endedAt }, now));
  if (u.summary) parts.push(esc(cut(u.summary, 150)));
  if (u.error) parts.push(`error: ${esc(cut(u.error, 150))}`);
  if (u.decision) parts.push(`${u.decision.kind === 'skip' ? 'skipped' : 'undone by hand'} by ${user(u.decision.user)}: ${esc(cut(u.decision.reason, 150))}`);
  return cut(parts.join(' · '), 300);
}

/** Steps of this rollback, in undo order. */
function planned(run: Run): Array<{ step: StepState; index: number }> {
  return (run.rollback?.order ?? [])
    .map((id) => ({ step: run.steps.find((s) => s.id === id), index: run.steps.findIndex((s) => s.id === id) }))
    .filter((x): x is { step: StepState; index: number } => x.step !== undefined);
}

/** The buttons of the undo a human must settle, if any. */
function undoButtons(run: Run, step: StepState): KnownBlock[] {
  const value = stepRefValue({ runId: run.id, stepId: step.id, attempt: step.undo?.attempt ?? 0 });
  const skip = button({ actionId: ACTION_IDS.undoSkip, text: 'Skip this undo', value });
  const byHand = button({ actionId: ACTION_IDS.undoByHand, text: 'Mark undone by hand', value });
  if (run.status === 'rollback_paused' && step.status === 'undo_failed') {
    return [
      section(`:bangbang: The undo of *${esc(step.id)}* failed; the rollback is paused. Retry it, skip it (the step stays applied) or mark it undone by hand.`),
      actions(`undo_${step.id}`, [button({ actionId: ACTION_IDS.undoRetry, text: 'Retry', style: 'primary', value }), skip, byHand]),
    ];
  }
  if (run.status === 'rolling_back' && step.status === 'undo_waiting' && step.undo?.human) {
    const h = step.undo.human;
    if (h.checklist) {
      // A checklist undo is ticked item by item on the step's own message (step-checklist.ts).
      const open = h.checklist.items.filter((i) => i.required && !h.ticks?.[i.id]).length;
      return [
        section(`:raised_hand: *Undo by hand:* tick the checklist under step *${esc(step.id)}*'s message · ${open} required item${open === 1 ? '' : 's'} open`),
        actions(`undo_${step.id}`, [skip]),
      ];
    }
    const confirm: Button = button({ actionId: ACTION_IDS.undoConfirm, text: 'Confirm undone', style: 'primary', value });
    return [
      section(`:raised_hand: *Undo by hand: ${esc(cut(h.prompt, 1500))}*\nStep *${esc(step.id)}* · ${h.approvals.length}/${h.min} confirmed${h.approvals.length ? ` (${h.approvals.map((d) => user(d.user)).join(', ')})` : ''}`),
      actions(`undo_${step.id}`, [confirm, skip]),
    ];
  }
  return [];
}

export function rollbackMessage(run: Run, now: number): SlackMessage {
  const dry = run.dryRun ? '[DRY RUN] ' : '';
  const status = RUN_LABEL[run.status];
  const rb = run.rollback;
  const headline = `${dry}Rollback of ${runTitle(run)} (${run.id}): ${status.label}`;
  const shown = planned(run);
  const withUndo = shown.filter((x) => x.step.undo && x.step.undo.status !== 'none');
  const nothing = shown.length - withUndo.length;
  const undone = withUndo.filter((x) => x.step.undo?.status === 'done').length;
  const blocks: KnownBlock[] = [section(`${status.emoji} *${esc(cut(headline, 500))}*`)];
  if (rb) blocks.push(context(`Requested by ${user(rb.requestedBy)} at ${stamp(rb.at)}${rb.to ? `, back to after *${esc(rb.to)}*` : ''}: ${esc(cut(rb.reason, 1000))}`));
  blocks.push(...(withUndo.length
    ? packLines(withUndo.map((x) => undoLine(x.step, x.index, now)), 30)
    : [section('_No completed step has an undo: nothing to undo._')]));
  for (const x of withUndo) blocks.push(...undoButtons(run, x.step));
  const footer = [`${undone}/${withUndo.length} undone`];
  if (nothing) footer.push(`${nothing} step${nothing === 1 ? '' : 's'} had nothing to undo`);
  const left = run.status === 'rolling_back' ? [] : stillApplied(run);
  if (left.length) footer.push(`:warning: still applied: ${esc(cut(left.map((s) => s.id).join(', '), 1500))}`);
  blocks.push(context(footer.join(' · ')));
  const text = `${headline}${left.length ? `; still applied: ${left.map((s) => s.id).join(', ')}` : ''}`;
  return { text: cut(esc(text), LIMITS.fallbackText), blocks };
}
