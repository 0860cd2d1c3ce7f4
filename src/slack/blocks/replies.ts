// Ephemeral replies to /cutover and /rollback.
import type { RunbookListing } from '../../engine/engine-api.js';
import type { Run } from '../../engine/types.js';
import { formatDuration } from '../../runbooks/duration.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, context, cut, esc, LIMITS, section, user, type KnownBlock, type SlackMessage } from './kit.js';
import { RUN_LABEL, STEP_LABEL } from './labels.js';
import { packLines, runTitle } from './run-card.js';
import { rollbackValue } from './values.js';
import { rollbackPreview } from '../../engine/rollback-plan.js';
import { costText, undoCountText } from './rollback-button.js';

function reply(lines: string[], extra: KnownBlock[] = []): SlackMessage {
  const text = lines.join('\n');
  return { text: cut(text, LIMITS.fallbackText), blocks: [section(text), ...extra] };
}

const dryTag = (run: Run): string => (run.dryRun ? ' (DRY RUN)' : '');

export function startedReply(run: Run): SlackMessage {
  return reply([
    `Started run \`${esc(run.id)}\`${dryTag(run)} of *${esc(runTitle(run))}*, ${run.steps.length} steps, runbook \`${esc(run.hash.slice(0, 12))}\`.`,
    `The run card is in <#${run.runbook.channel}>.`,
  ]);
}

export function runSummaryLine(run: Run, now: number): string {
  const status = RUN_LABEL[run.status];
  const step = run.steps[Math.min(run.cursor, run.steps.length - 1)];
  const at = step && (run.status === 'running' || run.status === 'paused')
    ? ` at step ${run.cursor + 1}/${run.steps.length} *${esc(step.id)}* (${STEP_LABEL[step.status].label})`
    : '';
  const elapsed = formatDuration((run.endedAt ?? now) - run.startedAt);
  return cut(`${status.emoji} \`${esc(run.id)}\`${dryTag(run)} *${esc(runTitle(run))}* ${status.label}${at}, ${elapsed}, started by ${user(run.startedBy)}`, 600);
}

/** The asked-for run, or when none: the recent runs. */
export function statusReply(run: Run | null, recent: Run[], now: number): SlackMessage {
  if (run) return reply([runSummaryLine(run, now)]);
  if (!recent.length) return reply(['No active run in this channel and no recent runs.']);
  const text = 'No active run in this channel. Recent runs:';
  return { text, blocks: [section(text), ...packLines(recent.map((r) => runSummaryLine(r, now)), 10)] };
}

export function listReply(listings: RunbookListing[]): SlackMessage {
  if (!listings.length) return reply(['No runbooks found.']);
  const lines = listings.map((l) =>
    l.error
      ? `:warning: \`${esc(l.name)}\` (${esc(l.file)}) is invalid: ${esc(cut(l.error, 500))}`
      : `:page_facing_up: \`${esc(l.name)}\` ${esc(l.title ?? '')}${l.steps !== undefined ? ` · ${l.steps} steps` : ''}`);
  const invalid = listings.filter((l) => l.error).length;
  const text = `${listings.length} runbooks${invalid ? `, ${invalid} invalid` : ''}`;
  return { text, blocks: [section(`*${text}*`), ...packLines(lines, 40)] };
}

export function helpReply(): SlackMessage {
  return reply([
    '*tzero* runs cutover runbooks.',
    '`/cutover start <runbook> [--dry-run]` start a run (try `--dry-run` first)',
    '`/cutover status [run]` this channel\'s active run, or the given one',
    '`/cutover list` runbooks, including invalid ones and why',
    '`/cutover abort <run>` stop a run now: kills a running command, ends waits and approvals; nothing is undone',
    '`/cutover report [run]` post the run report (summary, Markdown and JSON files) in the run thread',
    '`/cutover help` this help',
    '`/rollback [run] [--to <step>] [reason]` roll back the given run or this channel\'s active run; `--to` undoes only the steps completed after <step>',
  ]);
}

export function abortedReply(run: Run): SlackMessage {
  return reply([`Run \`${esc(run.id)}\`${dryTag(run)} is ${RUN_LABEL[run.status].label}; nothing was undone.`]);
}

/**
 * The /rollback ephemeral: what will be undone, and the one confirmation (its danger button;
 * past a point of no return the button opens a modal asking for the runbook name).
 */
export function rollbackConfirm(run: Run, reason: string, to?: string): SlackMessage {
  const p = rollbackPreview(run, to);
  const cost = costText(p);
  const scope = to ? ` back to after *${esc(to)}*` : '';
  const text = `Roll back \`${esc(run.id)}\`${dryTag(run)} *${esc(runTitle(run))}*${scope}? ${esc(undoCountText(p))}`;
  const blocks: KnownBlock[] = [section(text)];
  if (cost) blocks.push(section(`:warning: *${esc(cut(cost, 2500))}*\nYou will be asked to type \`${esc(run.runbook.name)}\` to confirm.`));
  blocks.push(context(`Reason: ${esc(cut(reason, 500))}`));
  blocks.push(actions('rollback_confirm_actions', [button({
    actionId: ACTION_IDS.rollbackConfirm, text: cost ? 'Roll back…' : 'Roll back', style: 'danger', value: rollbackValue(run.id, reason, to),
  })]));
  return { text: cut(text, LIMITS.fallbackText), blocks };
}

export function rollbackStartedReply(run: Run): SlackMessage {
  return reply([`Rollback of \`${esc(run.id)}\`${dryTag(run)} requested; progress goes to the run's thread.`]);
}
