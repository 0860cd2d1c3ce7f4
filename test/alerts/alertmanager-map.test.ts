// Alertmanager/Grafana payload → AlertEvents: severity, identity of one alert state, fallbacks.
import { describe, expect, it } from 'vitest';
import { mapNotification, severityOf } from '../../src/alerts/alertmanager/map.js';
import { WebhookPayload } from '../../src/alerts/alertmanager/schema.js';
import { amPayload, db1, db2, grafanaPayload } from './alertmanager-fixtures.js';

const map = (p: unknown) => mapNotification(WebhookPayload.parse(p), 1_000);

describe('alertmanager mapping', () => {
  it('severity from the label, case-insensitive; missing or unknown → warning', () => {
    expect(['critical', 'PAGE', 'error', 'high'].map(severityOf)).toEqual(['critical', 'critical', 'critical', 'critical']);
    expect(['warning', 'warn'].map(severityOf)).toEqual(['warning', 'warning']);
    expect(['info', 'none', 'low'].map(severityOf)).toEqual(['info', 'info', 'info']);
    expect([undefined, 'sev-x'].map(severityOf)).toEqual(['warning', 'warning']);
  });

  it('one event id per alert state: same group, fingerprint, status and startsAt → same id', () => {
    const a = map(amPayload([db1(), db2()])).events;
    const again = map(amPayload([db2(), db1()])).events;
    expect(new Set(again.map((e) => e.id))).toEqual(new Set(a.map((e) => e.id)));
    expect(map(amPayload([db1({ status: 'resolved', endsAt: '2026-09-01T10:05:00Z' })])).events[0]!.id).not.toBe(a[0]!.id);
    expect(map(amPayload([db1({ startsAt: '2026-09-02T00:00:00Z' })])).events[0]!.id).not.toBe(a[0]!.id);
    expect(map(amPayload([db1()], { groupKey: 'other' })).events[0]!.id).not.toBe(a[0]!.id);
  });

  it('firing alerts carry startsAt, resolved ones endsAt; Go zero time and junk fall back to receipt', () => {
    expect(map(amPayload([db1()])).events[0]!.at).toBe(Date.parse('2026-09-01T10:00:00.123Z'));
    expect(map(amPayload([db1({ startsAt: '0001-01-01T00:00:00Z' })])).events[0]!.at).toBe(1_000);
    expect(map(amPayload([db1({ startsAt: 'yesterday' })])).events[0]!.at).toBe(1_000);
  });

  it('without a fingerprint (old senders) the label set identifies the alert, whatever its order', () => {
    const { fingerprint: _, ...bare } = db1();
    const reordered = { ...bare, labels: Object.fromEntries(Object.entries(bare.labels).reverse()) };
    const [a] = map(amPayload([bare as never])).events;
    const [b] = map(amPayload([reordered as never])).events;
    expect(a!.fingerprint).toMatch(/^alertmanager:[0-9a-f]{16}$/);
    expect(b!.fingerprint).toBe(a!.fingerprint);
  });

  it('lenient with the payload: non-string labels dropped, extra fields ignored, title falls back to alertname', () => {
    const p = amPayload([{ ...db1(), labels: { alertname: 'NoSummary', count: 3 as never, env: 'prod' }, annotations: {}, extra: { x: 1 } } as never], { routeLabels: { a: 'b' } });
    const [e] = map(p).events;
    expect(e!.labels).toEqual({ alertname: 'NoSummary', env: 'prod', job: 'node', severity: 'critical' });
    expect(e!.title).toBe('NoSummary');
  });

  it('recognises Grafana by version 1 / orgId', () => {
    expect(map(grafanaPayload()).sender).toBe('grafana');
    expect(map(amPayload([db1()])).sender).toBe('alertmanager');
  });
});
