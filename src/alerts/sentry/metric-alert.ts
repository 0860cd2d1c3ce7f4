// `metric_alert`: critical / warning / open → firing, resolved → resolved; one fingerprint and
// group per alert rule, so a resolved edits the rule's message.
import type { AlertEvent } from '../types.js';
import { facts, firstOf, timeOf } from './fields.js';
import type { MapContext } from './map-context.js';
import type { MetricAlertData } from './schema.js';

const SEVERITY = { critical: 'critical', warning: 'warning', open: 'warning', resolved: 'info' } as const;

export function metricAlertToEvent(data: MetricAlertData, ctx: MapContext): AlertEvent | undefined {
  const action = ctx.action as keyof typeof SEVERITY;
  if (!(action in SEVERITY)) return undefined;
  const m = data.metric_alert;
  const rule = m.alert_rule;
  const resolved = action === 'resolved';
  const projects = m.projects ?? rule.projects ?? [];
  // description_text may hold a literal backslash-n (Sentry's docs sample) or a real newline.
  const text = (data.description_text ?? '').split(/\\n|\n/).map((l) => l.trim()).filter(Boolean);
  const url = firstOf(data.web_url);
  return {
    id: ctx.id,
    source: 'sentry',
    fingerprint: `sentry:metric:${rule.id}`,
    group: `sentry:metric:${rule.id}`,
    status: resolved ? 'resolved' : 'firing',
    severity: SEVERITY[action],
    title: firstOf(data.description_title) ?? `${action[0]!.toUpperCase()}${action.slice(1)}: ${rule.name}`,
    details: [...text, ...facts([['projects', projects.join(', ')], ['environment', rule.environment]])],
    ...(url ? { url } : {}),
    at: resolved ? timeOf(ctx.receivedAt, m.date_closed) : ctx.receivedAt,
    rule: rule.name,
    level: action,
  };
}
