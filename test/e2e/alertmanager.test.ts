// Alertmanager and Grafana alerts end to end: webhook → inbox → relay → one Slack message per
// group in #alerts, resolved in place; payload text shown as text; and the rollback window's
// `alert:` trigger rolling a run back on a firing matching alert only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { AM_TOKEN, amHeaders, amPayload, db1, db2, goWire, grafanaPayload, resolvedBatch, truncatedBatch } from '../alerts/alertmanager-fixtures.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;
let url: string;

const book = (name: string, trigger: string) => `
name: ${name}
channel: C0CUTOVER
lock: ${name}
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - id: flip
    uses: shell
    with: { run: 'true' }
    undo: { uses: shell, with: { run: 'true' } }
watch:
  for: 1h
  rollback_if:
    - ${trigger}
  action: auto
`;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-am-'));
  const monitors = path.join(dir, 'monitors.yml');
  writeFileSync(monitors, 'alerts_channel: C0ALERTS\n');
  sys = await startSystem({
    env: { ALERTMANAGER_TOKEN: AM_TOKEN, MONITORS_FILE: monitors },
    runbooks: {
      'am-auto.yml': book('am-auto', 'alert: { source: alertmanager, alertname: HighErrorRate, labels: { service: checkout, env: production } }'),
    },
  });
  bot = await sys.startBot();
  url = sys.botUrls[0]!.replace('/slack/events', '/webhooks/alertmanager');
});
afterAll(async () => {
  await sys?.stop();
});

const send = (payload: unknown) => fetch(url, { method: 'POST', headers: amHeaders(), body: goWire(payload) });
const alerts = () => sys.slack.messages('C0ALERTS');

it('posts one message per group, lists the alerts, says what max_alerts left out, and resolves it in place', async () => {
  expect((await send(truncatedBatch())).status).toBe(200);
  const posted = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.text.includes('DiskFull') && JSON.stringify(m.blocks).includes('db2')), 10_000);
  const blocks = JSON.stringify(posted.blocks);
  expect(posted.text).toMatch(/CRITICAL/);
  expect(blocks).toContain('db1:9100');
  expect(blocks).toContain('3 more alerts the sender left out (max_alerts)');
  expect((await send(resolvedBatch())).status).toBe(200);
  const allResolved = amPayload([db1({ status: 'resolved', endsAt: '2026-09-01T10:07:12Z' }), db2({ status: 'resolved', endsAt: '2026-09-01T10:09:00Z' })]);
  expect((await send(allResolved)).status).toBe(200);
  const resolved = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.ts === posted.ts && /RESOLVED/.test(m.text) && m.replies.length), 10_000);
  expect(resolved.replies[0]!.text).toMatch(/Resolved after/);
  expect(JSON.stringify(resolved.blocks)).not.toContain('left out');
  expect((await alerts()).filter((m) => m.text.includes('DiskFull'))).toHaveLength(1);
});

it('shows payload text as text: no @channel, no links, no formatting injected by an annotation', async () => {
  const hostile = amPayload([db1({
    fingerprint: 'aaaaaaaaaaaaaaaa',
    labels: { alertname: 'Hostile', severity: 'warning', instance: '<!channel>' },
    annotations: { summary: 'pwned <!channel> <https://evil.example|click here> & <@U0LEAD>', description: '<!here> ping' },
  })], { groupKey: '{}:{alertname="Hostile"}' });
  expect((await send(hostile)).status).toBe(200);
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.text.includes('Hostile')), 10_000);
  const text = JSON.stringify(msg.blocks) + msg.text;
  expect(text).toContain('&lt;!channel&gt;');
  expect(text).toContain('&lt;https://evil.example|click here&gt;');
  expect(text).toContain('&amp;');
  expect(text).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
});

it('accepts Grafana contact point notifications into their own group', async () => {
  expect((await send(grafanaPayload('firing'))).status).toBe(200);
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.text.includes('High memory usage')), 10_000);
  expect(JSON.stringify(msg.blocks)).toContain('via Grafana');
});

it('rolls a watching run back on a firing alert matching alertname and labels, and not on others', async () => {
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start am-auto' });
  const run = await waitUntil(async () => (await bot.engine.recentRuns(5)).find((r) => r.runbook.name === 'am-auto' && r.status === 'watching'), 10_000, 'watching');
  const alert = (labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing', fingerprint = 'e0e0e0e0e0e0e0e0') =>
    amPayload([db1({ status, fingerprint, labels: { alertname: 'HighErrorRate', severity: 'critical', ...labels }, annotations: { summary: '5xx above 5%' } })], { groupKey: '{}:{alertname="HighErrorRate"}' });
  // Wrong label value, a resolved matching alert, another alertname: no rollback.
  expect((await send(alert({ service: 'checkout', env: 'staging' }, 'firing', '1111111111111111'))).status).toBe(200);
  expect((await send(alert({ service: 'checkout', env: 'production' }, 'resolved', '2222222222222222'))).status).toBe(200);
  expect((await send(amPayload([db1({ fingerprint: '3333333333333333', labels: { alertname: 'Other', service: 'checkout', env: 'production' } })], { groupKey: 'other' }))).status).toBe(200);
  // Wait until the relay has seen all three (the window counts alerts), then check nothing fired.
  const seen = await waitUntil(async () => { const r = await bot.engine.getRun(run.id); return (r?.watch?.alerts ?? 0) >= 3 ? r : null; }, 10_000, 'three alerts seen');
  expect(seen.status).toBe('watching');
  expect(seen.watch!.fired).toEqual([]);
  // The matching firing alert (extra labels are fine): rolled back automatically.
  expect((await send(alert({ service: 'checkout', env: 'production', pod: 'checkout-7d9' }))).status).toBe(200);
  const rolled = await waitUntil(async () => { const r = await bot.engine.getRun(run.id); return r?.status === 'rolled_back' ? r : null; }, 15_000, 'rolled back') as Run;
  expect(rolled.rollback!.requestedBy).toBe('tzero');
  expect(rolled.rollback!.reason).toContain('Alertmanager alert "HighErrorRate" is firing');
  expect(rolled.steps[0]!.status).toBe('undone');
  // The metrics count it as a rollback triggered by the watch window, and the run's end.
  const text = await waitUntil(async () => { const t = await bot.metrics.registry.metrics(); return /tzero_runs_finished_total\{status="rolled_back",dry_run="false"\} 1/.test(t) ? t : null; }, 5000, 'rolled_back counted');
  expect(text).toMatch(/tzero_rollbacks_total\{trigger="watch"\} 1/);
});
