// The run card of a timed run (pure): steps grouped under phase headers with their times in
// each reader's zone, owners and late flags; T-0, the next due step with its countdown, and the
// after-window steps with their dates. A long plan (60 steps, 6 phases) stays within Block Kit
// limits: when the lines do not fit, finished phases are summarised in one line each.
import { formatDuration } from '../../runbooks/duration.js';
import { slackDate } from '../../engine/timeline.js';
import type { Run, StepState } from '../../engine/types.js';
import { cut, cutMd, LIMITS, md, user, type Mrkdwn } from './kit.js';
import { nextDueLine, timelineLine } from './timeline-lines.js';

const FINISHED = ['done', 'skipped', 'undone', 'undo_skipped'];

interface Group {
  name: string;
  steps: Array<{ s: StepState; i: number }>;
}

function groups(run: Run): Group[] {
  const out: Group[] = [];
  run.steps.forEach((s, i) => {
    const phase = run.runbook.steps[i]?.phase;
    const name = s.afterWindow ? `after the window${phase ? ` · ${phase}` : ''}` : (phase ?? '');
    const last = out.at(-1);
    if (last && last.name === name) last.steps.push({ s, i });
    else out.push({ name, steps: [{ s, i }] });
  });
  return out;
}

function summary(g: Group): Mrkdwn {
  const ends = g.steps.map(({ s }) => s.endedAt ?? 0).filter(Boolean);
  const last = ends.length ? md` by ${slackDate(Math.max(...ends))}` : md``;
  return md`:white_check_mark: *${g.name || 'steps'}*: ${g.steps.length} step${g.steps.length === 1 ? '' : 's'} finished${last}`;
}

/** Step lines of a timed run, sized to fit `maxSections` sections (packed by the card). */
export function timelineStepLines(run: Run, maxSections: number): Mrkdwn[] {
  const all = groups(run);
  const render = (collapse: boolean): Mrkdwn[] =>
    all.flatMap((g) => {
      if (collapse && g.steps.every(({ s }) => FINISHED.includes(s.status))) return [summary(g)];
      const head = g.name ? [md`*${g.name}*`] : [];
      return [...head, ...g.steps.map(({ s, i }) => cutMd(md`${i + 1}. ${timelineLine(run, s)}`, 300))];
    });
  let lines = render(false);
  // Budget with headroom for packing breaks; beyond it, finished phases collapse.
  if (lines.reduce((n, l) => n + l.length + 1, 0) > maxSections * (LIMITS.sectionText - 300)) lines = render(true);
  return lines;
}

/** Context lines: T-0, what is next and when, and late steps. */
export function timelineNotes(run: Run, now: number): Mrkdwn[] {
  const plan = run.plan;
  if (!plan) return [];
  const notes = [md`:calendar: T-0 ${slackDate(plan.t0)}${plan.t0 > now ? ` (in ${formatDuration(plan.t0 - now)})` : ''}${plan.locked ? ' · lock held' : ''}`];
  const next = nextDueLine(run, now);
  if (next) notes.push(md`:hourglass: ${next}`);
  const late = run.steps.filter((s) => s.late);
  if (late.length) notes.push(md`:warning: Late: ${cut(late.map((s) => `${s.name} (${formatDuration(s.late!)})`).join(', '), 1000)}`);
  if (plan.awaitingLateConfirm) notes.push(md`:warning: Waiting for a confirmation to run ${plan.awaitingLateConfirm.length} late step${plan.awaitingLateConfirm.length === 1 ? '' : 's'}.`);
  if (plan.cancelled) notes.push(md`Cancelled by ${user(plan.cancelled.user)} ${slackDate(plan.cancelled.at)}: ${cut(plan.cancelled.reason, 500)}`);
  return notes;
}
