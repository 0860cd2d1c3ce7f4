// The thread message that tracks a rollback: one line per step with an undo, in undo order;
// steps with nothing to undo collapse into one line; what is still applied is listed. While
// an undo failed (the rollback is paused) or waits for a human, its buttons are here.
import { stillApplied } from '../../engine/rollback-plan.js';
import type { Run, StepState } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, context, cut, cutMd, LIMITS, md, mdJoin, section, user, type Button, type KnownBlock, type Mrkdwn, type SlackMessage } from './kit.js';
import { RUN_LABEL, stamp, stepDuration, UNDO_LABEL } from './labels.js';
import { packLines, runTitle } from './run-card.js';
import { stepRefValue } from './values.js';

const EMOJI = { pending: ':white_circle:', running: ':rewind:', waiting: ':raised_hand:', done: ':leftwards_arrow_with_hook:', failed: ':bangbang:', skipped: ':warning:', none: ':heavy_minus_sign:' };

function undoLine(step: StepState, index: number, now: number): Mrkdwn {
  const u = step.undo ?? { status: 'none' as const };
  const parts = [md`${EMOJI[u.status]} ${index + 1}. *${step.id}* ${UNDO_LABEL[u.status]}`];
  if (u.startedAt !== undefined && u.status !== 'none') parts.push(md`${stepDuration({ ...step, startedAt: u.startedAt, endedAt: u.endedAt }, now)}`);
  if (u.summary) parts.push(md`${cut(u.summary, 150)}`);
  if (u.error) parts.push(md`error: ${cut(u.error, 150)}`);
  if (u.decision) parts.push(md`${u.decision.kind === 'skip' ? 'skipped' : 'undone by hand'} by ${user(u.decision.user)}: ${cut(u.decision.reason, 150)}`);
  return cutMd(mdJoin(parts, ' · '), 300);
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
      section(md`:bangbang: The undo of *${step.id}* failed; the rollback is paused. Retry it, skip it (the step stays applied) or mark it undone by hand.`),
      actions(`undo_${step.id}`, [button({ actionId: ACTION_IDS.undoRetry, text: 'Retry', style: 'primary', value }), skip, byHand]),
    ];
  }
  if (run.status === 'rolling_back' && step.status === 'undo_waiting' && step.undo?.human) {
    const h = step.undo.human;
    if (h.checklist) {
      // A checklist undo is ticked item by item on the step's own message (step-checklist.ts).
      const open = h.checklist.items.filter((i) => i.required && !h.ticks?.[i.id]).length;
      return [
        section(md`:raised_hand: *Undo by hand:* tick the checklist under step *${step.id}*'s message · ${open} required item${open === 1 ? '' : 's'} open`),
        actions(`undo_${step.id}`, [skip]),
      ];
    }
    const confirm: Button = button({ actionId: ACTION_IDS.undoConfirm, text: 'Confirm undone', style: 'primary', value });
    return [
      section(md`:raised_hand: *Undo by hand: ${cut(h.prompt, 1500)}*\nStep *${step.id}* · ${h.approvals.length}/${h.min} confirmed${h.approvals.length ? md` (${mdJoin(h.approvals.map((d) => user(d.user)), ', ')})` : ''}`),
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
  const blocks: KnownBlock[] = [section(md`${status.emoji} *${cut(headline, 500)}*`)];
  if (rb) blocks.push(context(md`Requested by ${user(rb.requestedBy)} at ${stamp(rb.at)}${rb.to ? md`, back to after *${rb.to}*` : ''}: ${cut(rb.reason, 1000)}`));
  blocks.push(...(withUndo.length
    ? packLines(withUndo.map((x) => undoLine(x.step, x.index, now)), 30)
    : [section(md`_No completed step has an undo: nothing to undo._`)]));
  for (const x of withUndo) blocks.push(...undoButtons(run, x.step));
  const footer = [md`${undone}/${withUndo.length} undone`];
  if (nothing) footer.push(md`${nothing} step${nothing === 1 ? '' : 's'} had nothing to undo`);
  const left = run.status === 'rolling_back' ? [] : stillApplied(run);
  if (left.length) footer.push(md`:warning: still applied: ${cut(left.map((s) => s.id).join(', '), 1500)}`);
  blocks.push(context(mdJoin(footer, ' · ')));
  const text = `${headline}${left.length ? `; still applied: ${left.map((s) => s.id).join(', ')}` : ''}`;
  return { text: cutMd(md`${text}`, LIMITS.fallbackText).text, blocks };
}
