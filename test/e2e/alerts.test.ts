// Alerts end to end: signed Sentry webhooks and a health monitor relayed into #alerts and the
// live run's thread — grouped, deduplicated, resolved in place, silenced during maintenance.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { groupId } from '../../src/alerts/groups.js';
import type { Tzero } from '../../src/app.js';
import { startSite, type Site } from '../../targets/site.js';
import { CLIENT_SECRET, eventAlert, metricAlert, sentryHeaders, sentryWire } from '../alerts/sentry-fixtures.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;
let site: Site;
let url: string;

beforeAll(async () => {
  site = await startSite({ name: 'new-site' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-mon-'));
  const monitors = path.join(dir, 'monitors.yml');
  writeFileSync(monitors, `alerts_channel: C0ALERTS\nhealth:\n  - { id: site, url: "${site.url}/robots.txt", every: 300ms, timeout: 1s, down_after: 2, up_after: 1 }\n`);
  sys = await startSystem({
    env: { SENTRY_CLIENT_SECRET: CLIENT_SECRET, MONITORS_FILE: monitors },
    runbooks: {
      'maint.yml': `
name: maint
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: quiet, uses: silence, with: { monitors: [site] } }
  - { id: hold, uses: approval, with: { prompt: "Maintenance done?", approvers: [lead] } }
  - { id: loud, uses: unsilence, with: { monitors: [site] } }
  - { id: gate, uses: approval, with: { prompt: "Finish?", approvers: [lead] } }
`,
    },
  });
  bot = await sys.startBot();
  url = sys.botUrls[0]!.replace('/slack/events', '/webhooks/sentry');
});
afterAll(async () => {
  await sys?.stop();
  await site?.close();
});

async function send(resource: string, payload: unknown, secret = CLIENT_SECRET) {
  const body = sentryWire(payload);
  return fetch(url, { method: 'POST', headers: sentryHeaders(resource, body, secret), body });
}
const alertsIn = async (channel: string) => (await sys.slack.messages(channel));

it('refuses a forged signature and relays nothing', async () => {
  const res = await send('event_alert', eventAlert({ title: 'Forged' }), 'wrong-secret');
  expect(res.status).toBe(401);
  await new Promise((r) => setTimeout(r, 800));
  expect(JSON.stringify(await alertsIn('C0ALERTS'))).not.toContain('Forged');
});

it('groups a storm of 500 events into one message whose count adds up, and a retry is not counted twice', async () => {
  const sends = Array.from({ length: 500 }, (_, i) => eventAlert({ title: `TypeError #${i % 25}`, eventId: `ev${i}`, issueId: String(9000 + (i % 25)) }));
  for (let i = 0; i < sends.length; i += 50) {
    const res = await Promise.all(sends.slice(i, i + 50).map((p) => send('event_alert', p)));
    expect(res.every((r) => r.status === 200)).toBe(true);
  }
  const retry = await send('event_alert', sends[0]); // same body, new Request-ID
  expect(await retry.json()).toMatchObject({ accepted: 0, duplicate: 1 });
  const group = await waitUntil(async () => {
    const g = (await bot.alerting.groups.get(groupId('sentry:front-end:rule:Very Important Alert Rule!')));
    return g?.count === 500 ? g : null;
  }, 20_000, '500 events relayed');
  expect(Object.values(group.items).reduce((n, i) => n + i.count, 0) + group.unlisted).toBe(500);
  await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox');
  const msgs = (await alertsIn('C0ALERTS')).filter((m) => m.text.includes('500 events'));
  expect(msgs).toHaveLength(1);
  expect((await alertsIn('C0ALERTS')).length).toBeLessThanOrEqual(2);
});

it('edits the metric alert in place when it resolves and replies in its thread', async () => {
  await send('metric_alert', metricAlert('critical', 'Critical: Too many errors'));
  const posted = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.text.includes('Too many errors')), 10_000);
  expect(posted.text).toMatch(/CRITICAL/);
  await send('metric_alert', metricAlert('resolved'));
  const resolved = await sys.slack.waitFor(async (c) => (await c.messages('C0ALERTS')).find((m) => m.ts === posted.ts && /RESOLVED/.test(m.text) && m.replies.length), 10_000);
  expect(resolved.replies[0]!.text).toMatch(/Resolved after/);
  expect((await alertsIn('C0ALERTS')).filter((m) => m.text.includes('Too many errors'))).toHaveLength(1);
});

it('copies alerts into the live run thread tagged with the step, and holds back silenced monitors until the silence ends', async () => {
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start maint' });
  const run = await waitUntil(async () => { const r = (await bot.engine.recentRuns(1))[0]; return r?.steps[1]!.status === 'awaiting_approval' ? r : null; }, 10_000, 'hold');
  site.setFail(true); // the site goes down during planned maintenance: silenced
  await new Promise((r) => setTimeout(r, 1500)); // several probes: down after 2 failures
  expect(JSON.stringify(await alertsIn('C0ALERTS'))).not.toContain('site is down');
  await send('event_alert', eventAlert({ title: 'DuringRun: boom', eventId: 'run1', issueId: '777' }));
  const copy = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => JSON.stringify(r.blocks).includes('fired during step')), 10_000);
  expect(JSON.stringify(copy.blocks)).toContain('hold');
  const hold = (await sys.slack.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))!.replies.find((r) => JSON.stringify(r.blocks).includes('step_approve'))!;
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: hold.ts, action_id: 'step_approve' });
  const summary = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => /Silence of \*site\* ended/.test(r.text)), 10_000);
  expect(summary.text).toMatch(/1 alert was held back/);
  expect(summary.text).toMatch(/site is down/);
  site.setFail(false);
  await bot.engine.abort(run.id, 'U0LEAD');
});
