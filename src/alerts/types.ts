// The one shape every alert source produces (Sentry webhooks, health and queue monitors, tzero
// watching itself). The relay groups, deduplicates and delivers these; see src/alerts/relay*.
export type AlertSource = 'sentry' | 'alertmanager' | 'health' | 'queue' | 'self';
export type AlertStatus = 'firing' | 'resolved';
export type AlertSeverity = 'critical' | 'warning' | 'info';

export interface AlertEvent {
  /** Unique per received event: the ingest dedups on it (a Sentry retry has the same id). */
  id: string;
  source: AlertSource;
  /** The thing alerting, e.g. `sentry:issue:1170820242`, `sentry:metric:7`, `health:site`. */
  fingerprint: string;
  /** Alerts with one group key share one Slack message (Alertmanager's grouping), e.g. `sentry:front-end:event_alert:Very Important Alert Rule!`. */
  group: string;
  status: AlertStatus;
  severity: AlertSeverity;
  /** What the group is, for its message title: "Errors in production · restarters" (default: the first alert's title). */
  groupName?: string;
  /** One line: "ReferenceError: blooopy is not defined", "site is down". */
  title: string;
  /** Facts shown under the title: "project front-end", "environment production", "culprit ?(runner)". */
  details: string[];
  url?: string;
  /** When it happened (ms since epoch). */
  at: number;
  /** How many occurrences this event stands for (default 1). */
  count?: number;
  /** For silences and rollback triggers. */
  monitor?: string;
  /** Queue depth, for queue monitors and `queue_above`. */
  value?: number;
  /** Sentry metric alert rule name and level, for `sentry_metric_alert`. */
  rule?: string;
  level?: string;
  /** For `health_down`: when the monitor went down. */
  downSince?: number;
  /** Alertmanager/Grafana: the alert's labels (commonLabels merged in), for `watch.rollback_if.alert`. */
  labels?: Record<string, string>;
  /** Alertmanager/Grafana: alerts of this group the sender left out of its notification (max_alerts). */
  truncated?: number;
}

/** Where alert sources hand events over. Durable before it resolves. */
export interface AlertInbox {
  /** Returns false when the event id was seen already (a retry): nothing is relayed twice. */
  accept(event: AlertEvent): Promise<boolean>;
}
