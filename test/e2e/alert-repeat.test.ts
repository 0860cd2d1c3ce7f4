// Alertmanager's repeat_interval: a group still firing is mentioned again in its thread, once
// per interval, and no more once it resolves.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLIENT_SECRET, metricAlert, sentryHeaders, sentryWire } from '../alerts/sentry-fixtures.js';
import { startSystem, type System } from '../support/system.js';

let sys: System;
afterAll(() => sys?.stop());

it('reminds of a long-firing alert in its thread and stops when it resolves', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-rep-'));
  writeFileSync(path.join(dir, 'monitors.yml'), 'alerts_channel: C0ALERTS\n');
  sys = await startSystem({ runbooks: {}, env: { SENTRY_CLIENT_SECRET: CLIENT_SECRET, MONITORS_FILE: path.join(dir, 'monitors.yml') }, relay: { repeatIntervalMs: 1500 } });
  await sys.startBot();
  const url = sys.botUrls[0]!.replace('/slack/events', '/webhooks/sentry');
  const send = (action: string, title: string) => {
    const body = sentryWire(metricAlert(action, title));
    return fetch(url, { method: 'POST', headers: sentryHeaders('metric_alert', body), body });
  };
  await send('critical', 'Critical: Too many errors');
  const reminded = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.replies.some((r) => /Still firing after/.test(r.text))), 10_000);
  expect(reminded.replies.filter((r) => /Still firing/.test(r.text))).toHaveLength(1); // once per interval, not per pass
  await send('resolved', 'Resolved: Too many errors');
  await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => /RESOLVED/.test(m.text)), 10_000);
  const count = async () => (await sys.slack.messages('C0ALERTS'))[0]!.replies.filter((r) => /Still firing/.test(r.text)).length;
  const before = await count();
  await new Promise((r) => setTimeout(r, 3500));
  expect(await count()).toBe(before);
}, 30_000);
