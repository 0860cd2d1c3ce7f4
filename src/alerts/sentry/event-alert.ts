// `event_alert` (an issue alert rule fired): one AlertEvent per event, grouped per project and
// rule, so a storm of events under one rule is one Slack message listing issues.
import type { AlertEvent } from '../types.js';
import { facts, firstOf, projectFromUrl, severityOf, tagValue, timeOf } from './fields.js';
import type { EventAlertData } from './schema.js';
import type { MapContext } from './map-context.js';

export function eventAlertToEvent(data: EventAlertData, ctx: MapContext): AlertEvent {
  const e = data.event;
  const project = firstOf(projectFromUrl(e.url), e.project === null || e.project === undefined ? undefined : String(e.project)) ?? 'unknown';
  const environment = firstOf(e.environment, tagValue(e.tags, 'environment'));
  const rule = data.triggered_rule;
  const url = firstOf(e.web_url);
  return {
    id: ctx.id,
    source: 'sentry',
    fingerprint: `sentry:issue:${e.issue_id}`,
    group: `sentry:${project}:rule:${rule}`,
    groupName: `${rule} · ${project}`,
    status: 'firing',
    severity: severityOf(e.level),
    title: e.title,
    details: facts([['project', project], ['environment', environment], ['level', e.level], ['culprit', e.culprit], ['rule', rule]]),
    ...(url ? { url } : {}),
    at: timeOf(ctx.receivedAt, e.timestamp, e.datetime),
    count: 1,
    rule,
    ...(e.level ? { level: e.level } : {}),
  };
}
