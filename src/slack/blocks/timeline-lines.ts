// A run's timeline as lines of mrkdwn (pure): absolute times in each reader's own zone
// (`<!date^…>`), T-offsets, owners, phases, late and after-window marks. Shared by the replies
// to /cutover plan, reschedule and plans, and by the run card.
import { formatDuration } from '../../runbooks/duration.js';
import { ownerMentions, slackDate } from '../../engine/timeline.js';
import type { Run, StepState } from '../../engine/types.js';
import { md, type Mrkdwn } from './kit.js';
import { STEP_LABEL } from './labels.js';

const specOf = (run: Run, s: StepState) => run.runbook.steps.find((x) => x.id === s.id);

export function timelineLine(run: Run, s: StepState): Mrkdwn {
  const spec = specOf(run, s);
  const when = s.due !== undefined ? slackDate(s.due) : md`after the previous step`;
  const at = spec?.at ? md` \`${spec.at}\`` : md``;
  const owner = spec?.owner ? md` · ${ownerMentions(run, spec.owner)}` : md``;
  const late = s.late ? md` · :warning: started ${formatDuration(s.late)} late` : md``;
  const label = STEP_LABEL[s.status];
  return md`${label.emoji} ${when}${at} *${s.name}*${owner}${late}`;
}

/** Lines grouped by phase (a header line when the phase changes); after-window steps last. */
export function timelineLines(run: Run): Mrkdwn[] {
  const lines: Mrkdwn[] = [];
  let phase: string | undefined;
  for (const s of run.steps) {
    const own = specOf(run, s)?.phase;
    const p = s.afterWindow ? `after the window${own ? ` · ${own}` : ''}` : own;
    if (p !== undefined && p !== phase) lines.push(md`*${p}*`);
    phase = p;
    lines.push(timelineLine(run, s));
  }
  return lines;
}

/** The next step waiting for its time, with the countdown to it. */
export function nextDueLine(run: Run, now: number): Mrkdwn | null {
  const s = run.steps.find((x) => x.status === 'pending' && x.due !== undefined && x.due > now);
  if (!s) return null;
  return md`Next: *${s.name}* ${slackDate(s.due!)} (in ${formatDuration(s.due! - now)})`;
}
