// The short summary posted in the run thread with the report files: trusted mrkdwn (the `md`
// template), every value from outside (step ids, reasons, errors) escaped as plain text.
import { md, mdJoin, type Mrkdwn } from '../lib/mrkdwn.js';
import { formatDuration } from '../runbooks/duration.js';
import { plannedVsActual } from './markdown.js';
import type { Report } from './schema.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function reportSummary(r: Report): Mrkdwn {
  const run = r.run;
  const count = (status: string) => r.steps.filter((s) => s.status === status).length;
  const retried = r.steps.filter((s) => s.attempts.length > 1).length;
  const took = run.duration_ms !== undefined ? ` in ${formatDuration(run.duration_ms)}` : '';
  const lines = [
    md`:page_facing_up: Report for run ${run.id}${run.rehearsal ? ' (rehearsal)' : ''}: *${run.status.replace(/_/g, ' ')}*${took}.`,
    md`${count('done')} done, ${count('failed')} failed, ${count('skipped')} skipped, ${count('undone')} undone, ${retried} retried; ${plural(r.approvals.length, 'approval')}, ${plural(r.sign_offs.length, 'sign-off')}, ${plural(r.alerts.length, 'alert')}.`,
  ];
  const over = r.steps.filter((s) => s.over_estimate).slice(0, 5);
  if (over.length) lines.push(md`Over estimate: ${over.map((s) => `${s.id} ${plannedVsActual(s.duration_ms, s.estimate_ms)}`).join('; ')}.`);
  if (r.rollback) lines.push(md`Rollback: ${r.rollback.reason}; still applied: ${r.rollback.still_applied.join(', ') || 'nothing'}.`);
  return mdJoin(lines);
}
