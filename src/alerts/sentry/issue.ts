// `issue`: created / unresolved / assigned → firing, resolved / ignored → resolved; grouped per
// project. Other actions are not alerts.
import type { AlertEvent, AlertStatus } from '../types.js';
import { facts, firstOf, severityOf, timeOf } from './fields.js';
import type { MapContext } from './map-context.js';
import type { IssueData } from './schema.js';

const STATUS: Record<string, AlertStatus> = { created: 'firing', unresolved: 'firing', assigned: 'firing', resolved: 'resolved', ignored: 'resolved' };

function assignee(a: IssueData['issue']['assignedTo']): string | undefined {
  if (typeof a === 'string') return a;
  return firstOf(a?.name, a?.email);
}

export function issueToEvent(data: IssueData, ctx: MapContext): AlertEvent | undefined {
  const status = STATUS[ctx.action];
  if (!status) return undefined;
  const i = data.issue;
  const project = i.project.slug;
  const by = ctx.action === 'resolved' || ctx.action === 'ignored' ? ctx.actor : undefined;
  const url = firstOf(i.web_url, i.permalink, i.url);
  return {
    id: ctx.id,
    source: 'sentry',
    fingerprint: `sentry:issue:${i.id}`,
    group: `sentry:${project}:issues`,
    groupName: `Sentry issues · ${project}`,
    status,
    severity: ctx.action === 'assigned' ? 'info' : severityOf(i.level),
    title: i.title,
    details: facts([
      ['project', project], ['level', i.level], ['culprit', i.culprit], ['events', i.count], ['users', i.userCount],
      ['assigned to', ctx.action === 'assigned' ? assignee(i.assignedTo) ?? ctx.actor ?? 'someone' : undefined],
      [`${ctx.action} by`, by],
    ]),
    ...(url ? { url } : {}),
    at: ctx.action === 'created' || ctx.action === 'unresolved' ? timeOf(ctx.receivedAt, i.lastSeen) : ctx.receivedAt,
    ...(i.level ? { level: i.level } : {}),
  };
}
