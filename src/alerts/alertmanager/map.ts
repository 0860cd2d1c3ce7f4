// One Alertmanager/Grafana notification → one AlertEvent per alert listed. A notification is a
// snapshot of the whole group (firing and just-resolved alerts), so the event id is derived from
// what identifies one state of one alert (group, fingerprint, status, startsAt): the same alert
// in the next notification, or a retry of this one, is a duplicate, and the group counts stay
// exact. Text stays raw here; the Slack renderers escape it where it enters a message.
import { createHash } from 'node:crypto';
import type { AlertEvent, AlertSeverity } from '../types.js';
import type { WebhookAlert, WebhookPayload } from './schema.js';

const CRITICAL = new Set(['critical', 'crit', 'error', 'page', 'high', 'p1', 'fatal', 'emergency']);
const WARNING = new Set(['warning', 'warn', 'medium', 'p2', 'p3']);
const INFO = new Set(['info', 'informational', 'low', 'none', 'p4', 'p5']);
/** Labels shown as facts are capped: a label set can be large and the message has a budget. */
const MAX_LABEL_FACTS = 6;
const HIDDEN_LABELS = new Set(['alertname', 'severity', '__alert_rule_uid__', '__alert_rule_namespace_uid__']);

/** The `severity` label: critical/page/… → critical, warning → warning, info/none → info; missing or unknown → warning (it fires, after all). */
export function severityOf(label: string | undefined): AlertSeverity {
  const s = label?.toLowerCase();
  if (s && CRITICAL.has(s)) return 'critical';
  if (s && INFO.has(s)) return 'info';
  if (s && WARNING.has(s)) return 'warning';
  return 'warning';
}

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

function fingerprintOf(a: WebhookAlert): string {
  if (a.fingerprint) return a.fingerprint;
  const sorted = Object.entries(a.labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return sha(JSON.stringify(sorted)).slice(0, 16);
}

function timeOf(iso: string | null | undefined, fallback: number): number {
  const ms = iso ? Date.parse(iso) : NaN;
  // Go's zero time (0001-01-01) is "not set".
  return Number.isNaN(ms) || ms <= 0 ? fallback : ms;
}

export interface MappedNotification {
  events: AlertEvent[];
  /** Alerts Alertmanager left out (max_alerts). */
  truncated: number;
  /** `grafana` when the payload has Grafana's fields. */
  sender: 'alertmanager' | 'grafana';
}

export function mapNotification(p: WebhookPayload, receivedAt: number): MappedNotification {
  const sender = p.version === '1' || p.orgId !== null && p.orgId !== undefined ? 'grafana' : 'alertmanager';
  const truncated = p.truncatedAlerts ?? 0;
  const group = `alertmanager:${p.groupKey}`;
  const events = p.alerts.map((a): AlertEvent => {
    // An alert's own labels in its order; the common ones are a subset, kept as a fallback.
    const labels = { ...a.labels, ...Object.fromEntries(Object.entries(p.commonLabels).filter(([k]) => !(k in a.labels))) };
    const annotations = { ...p.commonAnnotations, ...a.annotations };
    const fingerprint = fingerprintOf(a);
    const alertname = labels.alertname ?? 'alert';
    const summary = annotations.summary ?? annotations.message;
    const shown = Object.entries(labels).filter(([k]) => !HIDDEN_LABELS.has(k)).slice(0, MAX_LABEL_FACTS);
    const url = a.generatorURL || a.panelURL || a.dashboardURL || undefined;
    return {
      id: `am-${sha(p.groupKey, fingerprint, a.status, a.startsAt ?? '').slice(0, 40)}`,
      source: 'alertmanager',
      fingerprint: `alertmanager:${fingerprint}`,
      group,
      status: a.status,
      severity: severityOf(labels.severity),
      title: summary ? `${alertname}: ${summary}` : alertname,
      details: [
        ...(sender === 'grafana' ? ['via Grafana'] : []),
        ...shown.map(([k, v]) => `${k}=${v}`),
        ...(annotations.description ? [annotations.description] : []),
      ],
      ...(url ? { url } : {}),
      at: a.status === 'resolved' ? timeOf(a.endsAt, receivedAt) : timeOf(a.startsAt, receivedAt),
      rule: alertname,
      ...(labels.severity ? { level: labels.severity } : {}),
      labels,
      truncated,
    };
  });
  return { events, truncated, sender };
}
