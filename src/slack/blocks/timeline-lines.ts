// A run's timeline as lines of mrkdwn (pure): absolute times in each reader's own zone
// (`<!date^…>`), T-offsets, owners, phases, late and after-window marks. Shared by the replies
// to /cutover plan, reschedule and plans, and by the run card.
import { formatDuration } from '../../runbooks/duration.js';
import { ownerMentions, slackDate } from '../../engine/timeline.js';
import type { Run, StepState } from '../../engine/types.js';
import { esc } from './kit.js';
import { STEP_LABEL } from './labels.js';

function offsetText(run: Run, s: StepState): string {
  const at = run.runbook.steps.find((x) => x.id === s.id)?.at;
  return at ? ` \`${esc(at)}\`` : '';
}

export function timelineLine(run: Run, s: StepState): string {
  const spec = run.runbook.steps.find((x) => x.id === s.id);
  const when = s.due !== undefined ? slackDate(s.due) : 'after the previous step';
  const owner = spec?.owner ? ` · ${ownerMentions(run, spec.owner)}` : '';
  const late = s.late ? ` · :warning: started ${formatDuration(s.late)} late` : '';
  const label = STEP_LABEL[s.status];
  return `${label.emoji} ${when}${offsetText(run, s)} *${esc(s.name)}*${owner}${late}`;
}

/** Lines grouped by phase (a header line when the phase changes); after-window steps last. */
export function timelineLines(run: Run): string[] {
  const lines: string[] = [];
  let phase: string | undefined;
  for (const s of run.steps) {
    const p = s.afterWindow ? `after the window${run.runbook.steps.find((x) => x.id === s.id)?.phase ? ` (${run.runbook.steps.find((x) => x.id === s.id)!.phase})` : ''}` : run.runbook.steps.find((x) => x.id === s.id)?.phase;
    if (p !== undefined && p !== phase) lines.push(`*${esc(p)}*`);
    phase = p;
    lines.push(timelineLine(run, s));
  }
  return lines;
}

/** The next step waiting for its time, with the countdown to it. */
export function nextDueLine(run: Run, now: number): string | null {
  const s = run.steps.find((x) => x.status === 'pending' && x.due !== undefined && x.due > now);
  if (!s) return null;
  return `Next: *${esc(s.name)}* ${slackDate(s.due!)} (in ${formatDuration(s.due! - now)})`;
}
