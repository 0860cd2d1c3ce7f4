// The short summary posted in the run thread with the report files. Slack text: every value
// from outside (step ids come from the runbook, reasons and errors from people and commands)
// is escaped; only tzero's own formatting is mrkdwn.
import { formatDuration } from '../runbooks/duration.js';
import { esc as escapeText } from '../slack/blocks/kit.js';
import { plannedVsActual } from './markdown.js';
import type { Report } from './schema.js';

export function reportSummary(r: Report): string {
  const run = r.run;
  const count = (status: string) => r.steps.filter((s) => s.status === status).length;
  const retried = r.steps.filter((s) => s.attempts.length > 1).length;
  const lines = [
    `:page_facing_up: Report for run ${escapeText(run.id)}${run.rehearsal ? ' (rehearsal)' : ''}: *${run.status.replace(/_/g, ' ')}*${run.duration_ms !== undefined ? ` in ${formatDuration(run.duration_ms)}` : ''}.`,
    `${count('done')} done, ${count('failed')} failed, ${count('skipped')} skipped, ${count('undone')} undone, ${retried} retried; ${r.approvals.length} approval${r.approvals.length === 1 ? '' : 's'}, ${r.sign_offs.length} sign-off${r.sign_offs.length === 1 ? '' : 's'}, ${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'}.`,
  ];
  const over = r.steps.filter((s) => s.over_estimate).slice(0, 5);
  if (over.length) lines.push(`Over estimate: ${over.map((s) => `${escapeText(s.id)} ${plannedVsActual(s.duration_ms, s.estimate_ms)}`).join('; ')}.`);
  if (r.rollback) lines.push(`Rollback: ${escapeText(r.rollback.reason)}; still applied: ${r.rollback.still_applied.map(escapeText).join(', ') || 'nothing'}.`);
  return lines.join('\n');
}
