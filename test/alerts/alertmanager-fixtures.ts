// Alertmanager and Grafana webhook payloads shaped as in their documentation (Alertmanager
// docs/configuration.md `<webhook_config>`, Grafana "Configure webhook notifications"), in the
// wire form both send: Go's json.Encoder, which writes <, > and & as \u003c \u003e \u0026 and
// ends the body with a newline.
export const AM_TOKEN = 'test-alertmanager-token-4c1e9a7b';

/** Go encoding/json's bytes for a payload. */
export function goWire(payload: unknown): string {
  return `${JSON.stringify(payload).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** `null`: no Authorization header. */
export function amHeaders(token: string | null = AM_TOKEN): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Alertmanager/0.28.1',
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
  };
}

const ZERO = '0001-01-01T00:00:00Z';

export interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export function amAlert({ instance = 'db1:9100', ...over }: Partial<AmAlert> & { instance?: string } = {}): AmAlert {
  return {
    status: 'firing',
    labels: { alertname: 'DiskFull', instance, job: 'node', severity: 'critical', ...over.labels },
    annotations: { summary: `Disk on ${instance} is 95% full`, description: 'Filesystem /var/lib/mysql has less than 5% space left.', ...over.annotations },
    startsAt: '2026-09-01T10:00:00.123456789Z',
    endsAt: ZERO,
    generatorURL: 'http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes+%2F+node_filesystem_size_bytes+%3C+0.05&g0.tab=1',
    fingerprint: '3f1a9c0d2b7e4a11',
    ...over,
  };
}

/** Alertmanager's webhook body (version 4). `status` is firing when any alert fires. */
export function amPayload(alerts: AmAlert[], over: Record<string, unknown> = {}) {
  return {
    receiver: 'tzero\\.prod', // Alertmanager passes receiver names through regexp.QuoteMeta
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', job: 'node', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}/{severity="critical"}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
    notification_reason: 'first notification',
    ...over,
  };
}

export const db1 = (over: Partial<AmAlert> = {}) => amAlert({ instance: 'db1:9100', fingerprint: '3f1a9c0d2b7e4a11', ...over });
export const db2 = (over: Partial<AmAlert> = {}) => amAlert({ instance: 'db2:9100', fingerprint: '8b2d4e6f10a3c5e7', startsAt: '2026-09-01T10:00:30Z', ...over });

/** db1 resolved (real endsAt), db2 still firing: Alertmanager's next flush of the group. */
export const resolvedBatch = () =>
  amPayload([db1({ status: 'resolved', endsAt: '2026-09-01T10:07:12.5+02:00' }), db2()], { notification_reason: 'some alerts resolved' });

/** max_alerts: 2 on a group of 5: two listed, three counted in truncatedAlerts. */
export const truncatedBatch = () => amPayload([db1(), db2()], { truncatedAlerts: 3 });

/** Grafana's webhook contact point, as in Grafana's docs (version 1, orgId, state, title, message, values…). */
export function grafanaPayload(status: 'firing' | 'resolved' = 'firing') {
  return {
    receiver: 'My Super Webhook',
    status,
    orgId: 1,
    alerts: [
      {
        status,
        labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
        annotations: { description: 'The system has high memory usage', runbook_url: 'https://myrunbook.com/runbook/1234', summary: 'This alert was triggered for zone us-1' },
        startsAt: '2021-10-12T09:51:03.157076+02:00',
        endsAt: status === 'resolved' ? '2021-10-12T09:56:03.157076+02:00' : ZERO,
        generatorURL: 'https://play.grafana.org/alerting/1afz29v7z/edit',
        fingerprint: 'c6eadffa33fcdf37',
        silenceURL: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
        dashboardURL: '',
        panelURL: '',
        values: { B: 44.23943737541908, C: 1 },
        valueString: "[ var='B' labels={__name__=go_memstats_alloc_bytes, instance=localhost:9090, job=prometheus} value=44.23943737541908 ], [ var='C' labels={__name__=go_memstats_alloc_bytes, instance=localhost:9090, job=prometheus} value=1 ]",
      },
    ],
    groupLabels: {},
    commonLabels: { team: 'blue' },
    commonAnnotations: {},
    externalURL: 'https://play.grafana.org/',
    version: '1',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
    title: `[${status.toUpperCase()}:1]  (blue)`,
    state: status === 'firing' ? 'alerting' : 'ok',
    message: '**Firing**\n\nLabels:\n - alertname = T2\n - team = blue\n - zone = us-1\nAnnotations:\n - description = This is the alert rule checking the second system\n - runbook_url = https://myrunbook.com\n - summary = This is my summary\nSource: https://play.grafana.org/alerting/1afz29v7z/edit\nSilence: https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1\n',
  };
}
