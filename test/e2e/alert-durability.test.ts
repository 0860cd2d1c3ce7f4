// kill -9 right after Sentry got its 200: the alert was in Redis before the 2xx, and reaches
// Slack once the bot is back.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLIENT_SECRET, eventAlert, sentryHeaders, sentryWire } from '../alerts/sentry-fixtures.js';
import { startSystem, type System } from '../support/system.js';

let sys: System;
afterAll(() => sys?.stop());

it('loses no accepted alert when the bot dies between accept and post', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-ad-'));
  writeFileSync(path.join(dir, 'monitors.yml'), 'alerts_channel: C0ALERTS\n');
  sys = await startSystem({ runbooks: {}, env: { SENTRY_CLIENT_SECRET: CLIENT_SECRET, MONITORS_FILE: path.join(dir, 'monitors.yml') } });
  const first = await sys.spawnBot();
  const url = sys.botUrls[0]!.replace('/slack/events', '/webhooks/sentry');
  const bodies = Array.from({ length: 20 }, (_, i) => sentryWire(eventAlert({ title: `Crash test ${i}`, eventId: `kill${i}`, issueId: String(500 + i) })));
  const statuses = await Promise.all(bodies.map((body) => fetch(url, { method: 'POST', headers: sentryHeaders('event_alert', body), body }).then((r) => r.status)));
  first.kill('SIGKILL'); // usually within the 300 ms group_wait; under load it may have posted part of the group
  expect(statuses.every((s) => s === 200)).toBe(true);
  await sys.spawnBot();
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => /20 events/.test(m.text)), 50_000);
  expect(JSON.stringify(msg.blocks)).toContain('Crash test'); // the items; the text names the group
  expect((await sys.slack.messages('C0ALERTS'))).toHaveLength(1); // a partial post is edited, not posted again
}, 90_000);
