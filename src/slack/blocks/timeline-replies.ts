// Ephemeral replies to the timeline commands: /cutover plan, plans, reschedule, cancel, roles,
// handover, and a timed runbook started now with late T-minus steps (asks before running them).
import { slackDate } from '../../engine/timeline.js';
import type { Run } from '../../engine/types.js';
import { ACTION_IDS } from '../action-ids.js';
import { actions, button, channel, cut, md, mdJoin, section, user, type KnownBlock, type Mrkdwn, type SlackMessage, LIMITS } from './kit.js';
import { RUN_LABEL } from './labels.js';
import { packLines, runTitle } from './run-card.js';
import { nextDueLine, timelineLines } from './timeline-lines.js';
import { runValue } from './values.js';

const dry = (run: Run) => (run.dryRun ? ' (DRY RUN)' : '');

function message(head: Mrkdwn, lines: Mrkdwn[], extra: KnownBlock[] = []): SlackMessage {
  return { text: cut(head.text, LIMITS.fallbackText), blocks: [section(head), ...packLines(lines, 20), ...extra] };
}

export function plannedReply(run: Run, verb = 'Planned'): SlackMessage {
  const t0 = run.plan!.t0;
  return message(md`${verb} run \`${run.id}\`${dry(run)} of *${runTitle(run)}*: T-0 ${slackDate(t0)}. The card is in ${channel(run.runbook.channel)}.`, timelineLines(run));
}

/** `/cutover start` of a timed runbook: T-0 is now; the late T-minus steps wait for a click. */
export function lateStartReply(run: Run): SlackMessage {
  const late = run.steps.filter((s) => run.plan?.awaitingLateConfirm?.includes(s.id));
  const head = md`Run \`${run.id}\`${dry(run)} of *${runTitle(run)}* has T-0 now. ${late.length} step${late.length === 1 ? ' is' : 's are'} already late and did not run:`;
  const lines = late.map((s) => md`:warning: *${s.name}* was due ${slackDate(s.due!)}`);
  const ask = section(md`Run them now, marked late? Or \`/cutover cancel\` and \`/cutover plan\` it for a later T-0.`);
  return message(head, lines, [ask, actions('run_late_actions', [button({ actionId: ACTION_IDS.runLate, text: 'Run late steps now', style: 'primary', value: runValue(run.id) })])]);
}

export function plansReply(runs: Run[], now: number): SlackMessage {
  if (!runs.length) return message(md`No planned or running runs.`, []);
  const lines = runs.map((r) => {
    const label = RUN_LABEL[r.status];
    const t0 = r.plan ? md` · T-0 ${slackDate(r.plan.t0)}` : md``;
    const next = nextDueLine(r, now);
    return md`${label.emoji} \`${r.id}\`${dry(r)} *${runTitle(r)}* ${label.label}${t0}${next ? md` · ${next}` : md``}`;
  });
  return message(md`${runs.length} planned or running run${runs.length === 1 ? '' : 's'}`, lines);
}

export function rolesReply(run: Run): SlackMessage {
  const duties = run.runbook.duties ?? {};
  const lines = Object.entries(run.runbook.roles).map(([role, users]) => {
    const who = users.length ? mdJoin(users.map(user), ', ') : md`nobody`;
    return md`*${role}*: ${who}${duties[role] ? ` — ${duties[role]}` : ''}`;
  });
  const handed = (run.handovers ?? []).map((h) => md`:arrows_counterclockwise: ${h.role} handed to ${user(h.to)} by ${user(h.user)} ${slackDate(h.at)}`);
  return message(md`Roles of run \`${run.id}\` (*${runTitle(run)}*)`, [...(lines.length ? lines : [md`No roles.`]), ...handed]);
}

export function cancelledReply(run: Run): SlackMessage {
  return message(md`Plan \`${run.id}\` of *${runTitle(run)}* is cancelled; nothing more will start.`, []);
}

export function handoverReply(run: Run, role: string, to: string): SlackMessage {
  return message(md`${user(to)} now holds *${role}* on run \`${run.id}\`, with its permissions.`, []);
}
