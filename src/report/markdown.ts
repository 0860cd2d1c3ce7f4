// The report as Markdown (`<runbook>-<run>.md`). Values are data: in a table cell `|` is
// escaped, line breaks become spaces, and `<`/`>`/`&` become entities so no renderer reads
// outside text as HTML.
import { formatDuration } from '../runbooks/duration.js';
import type { Report } from './schema.js';

export function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/`/g, '\\`');
}

const time = (iso: string): string => iso.slice(0, 19).replace('T', ' ');
const dur = (ms?: number): string => (ms === undefined ? '' : formatDuration(ms));

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** "9m12s, planned 6m" */
export function plannedVsActual(actualMs: number | undefined, estimateMs: number | undefined): string {
  if (estimateMs === undefined) return dur(actualMs);
  return actualMs === undefined ? `planned ${formatDuration(estimateMs)}` : `${formatDuration(actualMs)}, planned ${formatDuration(estimateMs)}`;
}

export function reportMarkdown(r: Report): string {
  const run = r.run;
  const out: string[] = [
    `# ${cell(run.title ?? run.runbook)}: run ${cell(run.id)}${run.rehearsal ? ' (rehearsal)' : ''}`,
    '',
    `- Runbook: ${cell(run.runbook)} (${cell(run.file)}, sha256 ${cell(run.hash.slice(0, 12))})`,
    `- Result: **${cell(run.status.replace(/_/g, ' '))}**${run.duration_ms !== undefined ? ` in ${dur(run.duration_ms)}` : ''}`,
    `- Started by ${cell(run.started_by)} at ${time(run.started_at)} UTC${run.ended_at ? `, ended ${time(run.ended_at)} UTC` : ''}`,
    '',
    '## Timeline',
    '',
    ...table(['Time (UTC)', 'Step', 'Who', 'Result', 'Duration', 'Evidence'], r.timeline.map((t) => [time(t.at), t.step ?? '', t.who, t.result, dur(t.duration_ms), t.evidence.join('; ')])),
    '',
    '## Steps: planned vs actual',
    '',
    ...table(['Step', 'Status', 'Attempts', 'Duration', 'Note'], r.steps.map((s) => [
      s.id, s.status.replace(/_/g, ' '), String(s.attempts.length), plannedVsActual(s.duration_ms, s.estimate_ms),
      [s.over_estimate ? 'over estimate' : '', s.skipped ? `skipped by ${s.skipped.by}: ${s.skipped.reason}` : '', ...s.attempts.filter((a) => a.error).map((a) => `attempt ${a.attempt}: ${a.error}`)].filter(Boolean).join('; '),
    ])),
  ];
  if (r.planned_vs_actual.steps_with_estimate) out.push('', `Steps with an estimate: ${r.planned_vs_actual.steps_with_estimate}, planned ${dur(r.planned_vs_actual.estimate_ms)}, took ${dur(r.planned_vs_actual.actual_ms)}.`);
  out.push('', '## Approvals and sign-offs', '');
  if (!r.approvals.length && !r.sign_offs.length) out.push('None.');
  else out.push(...table(['Time (UTC)', 'Step', 'Who', 'What'], [
    ...r.approvals.map((a) => [time(a.at), a.step, a.user, `approved${a.note ? ` (${a.note})` : ''}`]),
    ...r.sign_offs.map((s) => [time(s.at), s.step, s.user, `${s.item}: ${s.state === 'na' ? 'N/A' : 'done'}${s.note ? ` (${s.note})` : ''}`]),
  ]));
  out.push('', '## Alerts during the run', '');
  if (!r.alerts.length) out.push('None.');
  else out.push(...table(['Time (UTC)', 'Group', 'Alert', 'Status', 'Count', 'During'], r.alerts.map((a) => [time(a.at), a.group, a.title, a.status, String(a.count), a.during ?? ''])));
  out.push('', '## Rollback', '');
  const rb = r.rollback;
  if (!rb) out.push('None.');
  else {
    out.push(`Requested by ${cell(rb.requested_by)} at ${time(rb.at)} UTC: ${cell(rb.reason)}${rb.to ? ` (back to ${cell(rb.to)})` : ''}.`);
    out.push(`Undone: ${rb.undone.map(cell).join(', ') || 'nothing'}. Still applied: ${rb.still_applied.map(cell).join(', ') || 'nothing'}.`);
  }
  return `${out.join('\n')}\n`;
}
