// The thread message that tracks a rollback: one line per step to undo, in undo order.
import type { Run, StepState } from '../../engine/types.js';
import { context, cut, esc, LIMITS, section, user, type KnownBlock, type SlackMessage } from './kit.js';
import { RUN_LABEL, stamp, stepDuration, UNDO_LABEL } from './labels.js';
import { packLines, runTitle } from './run-card.js';

const EMOJI = { pending: ':white_circle:', running: ':rewind:', waiting: ':raised_hand:', done: ':leftwards_arrow_with_hook:', failed: ':bangbang:', skipped: ':warning:', none: ':heavy_minus_sign:' };

function undoLine(step: StepState, index: number, now: number): string {
  const u = step.undo ?? { status: 'none' as const };
  const parts = [`${EMOJI[u.status]} ${index + 1}. *${esc(step.id)}* ${UNDO_LABEL[u.status]}`];
  if (u.startedAt !== undefined && u.status !== 'none') parts.push(stepDuration({ ...step, startedAt: u.startedAt, endedAt: u.endedAt }, now));
  if (u.summary) parts.push(esc(cut(u.summary, 150)));
  if (u.error) parts.push(`error: ${esc(cut(u.error, 150))}`);
  return cut(parts.join(' · '), 300);
}

/** Steps in undo order: the rollback's order first, then any other step that has undo state. */
function stepsToShow(run: Run): Array<{ step: StepState; index: number }> {
  const ids = [...(run.rollback?.order ?? [])];
  for (const s of [...run.steps].reverse()) if (s.undo && !ids.includes(s.id)) ids.push(s.id);
  return ids
    .map((id) => ({ step: run.steps.find((s) => s.id === id), index: run.steps.findIndex((s) => s.id === id) }))
    .filter((x): x is { step: StepState; index: number } => x.step !== undefined);
}

export function rollbackMessage(run: Run, now: number): SlackMessage {
  const dry = run.dryRun ? '[DRY RUN] ' : '';
  const status = RUN_LABEL[run.status];
  const rb = run.rollback;
  const headline = `${dry}Rollback of ${runTitle(run)} (${run.id}): ${status.label}`;
  const shown = stepsToShow(run);
  const undone = shown.filter((x) => x.step.undo?.status === 'done').length;
  const blocks: KnownBlock[] = [section(`${status.emoji} *${esc(cut(headline, 500))}*`)];
  if (rb) blocks.push(context(`Requested by ${user(rb.requestedBy)} at ${stamp(rb.at)}: ${esc(cut(rb.reason, 1000))}`));
  blocks.push(...(shown.length
    ? packLines(shown.map((x) => undoLine(x.step, x.index, now)), 40)
    : [section('_No completed steps: nothing to undo._')]));
  blocks.push(context(`${undone}/${shown.length} steps undone`));
  return { text: cut(esc(headline), LIMITS.fallbackText), blocks };
}
