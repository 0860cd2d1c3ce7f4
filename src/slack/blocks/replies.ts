// Ephemeral replies to /cutover and /rollback.
import { describeUndo } from '../../engine/describe-undo.js';
import type { RunbookListing } from '../../engine/engine-api.js';
import type { Run } from '../../engine/types.js';
import { formatDuration } from '../../runbooks/duration.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, channel, context, cut, cutMd, esc, LIMITS, md, mdJoin, section, user, type KnownBlock, type Mrkdwn, type SlackMessage } from './kit.js';
import { RUN_LABEL, runLabel, STEP_LABEL } from './labels.js';
import { packLines, runTitle } from './run-card.js';
import { rollbackValue } from './values.js';
import { rollbackPreview } from '../../engine/rollback-plan.js';
import { costText, undoCountText } from './rollback-button.js';
import { describeDrift } from '../../engine/drift.js';

function reply(lines: Mrkdwn[], extra: KnownBlock[] = []): SlackMessage {
  const text = mdJoin(lines);
  return { text: cutMd(text, LIMITS.fallbackText).text, blocks: [section(text), ...extra] };
}

const dryTag = (run: Run): string => (run.dryRun ? ' (DRY RUN)' : '');

export function startedReply(run: Run): SlackMessage {
  return reply([
    md`Started run \`${run.id}\`${dryTag(run)} of *${runTitle(run)}*, ${run.steps.length} steps, runbook \`${run.hash.slice(0, 12)}\`.`,
    md`The run card is in ${channel(run.runbook.channel)}.`,
    ...(run.drift ? [md`:warning: ${describeDrift(run.drift)}`] : []),
  ]);
}

export function runSummaryLine(run: Run, now: number): Mrkdwn {
  const status = runLabel(run);
  const step = run.steps[Math.min(run.cursor, run.steps.length - 1)];
  const at = step && (run.status === 'running' || run.status === 'paused')
    ? md` at step ${run.cursor + 1}/${run.steps.length} *${step.id}* (${STEP_LABEL[step.status].label})`
    : md``;
  const elapsed = formatDuration((run.endedAt ?? now) - run.startedAt);
  return cutMd(md`${status.emoji} \`${run.id}\`${dryTag(run)} *${runTitle(run)}* ${status.label}${at}, ${elapsed}, started by ${user(run.startedBy)}`, 600);
}

/** The asked-for run, or when none: the recent runs. */
export function statusReply(run: Run | null, recent: Run[], now: number): SlackMessage {
  if (run) return reply([runSummaryLine(run, now)]);
  if (!recent.length) return reply([md`No active run in this channel and no recent runs.`]);
  const text = md`No active run in this channel. Recent runs:`;
  return { text: text.text, blocks: [section(text), ...packLines(recent.map((r) => runSummaryLine(r, now)), 10)] };
}

export function listReply(listings: RunbookListing[]): SlackMessage {
  if (!listings.length) return reply([md`No runbooks found.`]);
  const lines = listings.map((l) =>
    l.error
      ? md`:warning: \`${l.name}\` (${l.file}) is invalid: ${cut(l.error, 500)}`
      : md`:page_facing_up: \`${l.name}\` ${l.title ?? ''}${l.steps !== undefined ? ` · ${l.steps} steps` : ''}`);
  const invalid = listings.filter((l) => l.error).length;
  const text = `${listings.length} runbooks${invalid ? `, ${invalid} invalid` : ''}`;
  return { text, blocks: [section(md`*${text}*`), ...packLines(lines, 40)] };
}

export function helpReply(): SlackMessage {
  // Written as plain text: `<runbook>` must show as typed, not be read as a link.
  return reply([
    md`*tzero* runs cutover runbooks.`,
    esc('`/cutover start <runbook> [--dry-run]` start a run (try `--dry-run` first)'),
    esc('`/cutover status [run]` this channel\'s active run, or the given one'),
    esc('`/cutover list` runbooks, including invalid ones and why'),
    esc('`/cutover abort <run>` stop a run now: kills a running command, ends waits and approvals; nothing is undone'),
    esc('`/cutover plan <runbook> at <ISO-8601 time with offset> [--dry-run]` plan a run (also `in 3d`, `tomorrow 13:00 Europe/London`): timed steps start by themselves, owners are reminded'),
    esc('`/cutover plans` planned and running runs with their next due step'),
    esc('`/cutover reschedule <run> <time>` move T-0 and every pending timed step'),
    esc('`/cutover cancel <run> [reason]` cancel a plan before T-0'),
    esc('`/cutover roles [run]` who holds each role, with its duties'),
    esc('`/cutover handover <run> <role> <@user>` hand a role over for this run (the lead or its holder)'),
    esc('`/cutover report [run]` post the run report (summary, Markdown and JSON files) in the run thread'),
    esc('`/cutover help` this help'),
    esc('`/rollback [run] [--to <step>] [reason]` roll back the given run or this channel\'s active run; `--to` undoes only the steps completed after <step>'),
  ]);
}

export function abortedReply(run: Run): SlackMessage {
  return reply([md`Run \`${run.id}\`${dryTag(run)} is ${RUN_LABEL[run.status].label}; nothing was undone.`]);
}

/**
 * The /rollback ephemeral: what will be undone, and the one confirmation (its danger button;
 * past a point of no return the button opens a modal asking for the runbook name).
 */
export function rollbackConfirm(run: Run, reason: string, to?: string): SlackMessage {
  const p = rollbackPreview(run, to);
  const cost = costText(p);
  const scope = to ? md` back to after *${to}*` : '';
  const text = md`Roll back \`${run.id}\`${dryTag(run)} *${runTitle(run)}*${scope}? ${undoCountText(p)}`;
  const blocks: KnownBlock[] = [section(text)];
  if (cost) blocks.push(section(md`:warning: *${cut(cost, 2500)}*\nYou will be asked to type \`${run.runbook.name}\` to confirm.`));
  // Destructive undos say so before anyone clicks (github.merge's undo is a forced ref update).
  const cautions = p.toUndo.flatMap((st) => describeUndo(run, st.id)?.caution ?? []);
  if (cautions.length) blocks.push(section(mdJoin(cautions.slice(0, 20).map((c) => md`:warning: ${cut(c, 300)}`))));
  blocks.push(context(md`Reason: ${cut(reason, 500)}`));
  blocks.push(actions('rollback_confirm_actions', [button({
    actionId: ACTION_IDS.rollbackConfirm, text: cost ? 'Roll back…' : 'Roll back', style: 'danger', value: rollbackValue(run.id, reason, to),
  })]));
  return { text: cutMd(text, LIMITS.fallbackText).text, blocks };
}

export function rollbackStartedReply(run: Run): SlackMessage {
  return reply([md`Rollback of \`${run.id}\`${dryTag(run)} requested; progress goes to the run's thread.`]);
}
