// The rollback window: alerts during `watch` propose a rollback (Roll back / Dismiss) or start it,
// and the window closes all clear.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { startSite, type Site } from '../../targets/site.js';
import { CLIENT_SECRET, metricAlert, sentryHeaders, sentryWire } from '../alerts/sentry-fixtures.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { isDecision } from '../../src/engine/audit-events.js';

let sys: System;
let bot: Tzero;
let site: Site;
const queueKey = `tz-watch-failed-${process.pid}`;

const book = (name: string, watch: string) => `
name: ${name}
channel: C0CUTOVER
lock: ${name}
roles: { lead: [U0LEAD], second: [U0SECOND] }
vars: { log: "${path.join(os.tmpdir(), `tz-watch-${process.pid}`)}" }
steps:
  - id: flip
    uses: shell
    with: { run: 'echo flip >> "\${{ vars.log }}-${name}"' }
    undo: { uses: shell, with: { run: 'echo unflip >> "\${{ vars.log }}-${name}"' } }
watch:
${watch}
`;

beforeAll(async () => {
  site = await startSite({ name: 'new-site' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-watch-'));
  const monitors = path.join(dir, 'monitors.yml');
  writeFileSync(monitors, `alerts_channel: C0ALERTS\nhealth:\n  - { id: site, url: "${site.url}/robots.txt", every: 250ms, timeout: 1s, down_after: 2, up_after: 1 }\nqueues:\n  - { id: failed-jobs, source: { redis: { key: "${queueKey}" } }, every: 250ms, above: 20 }\n`);
  sys = await startSystem({
    env: { SENTRY_CLIENT_SECRET: CLIENT_SECRET, MONITORS_FILE: monitors },
    runbooks: {
      'propose.yml': book('propose', `  for: 1h\n  rollback_if:\n    - sentry_metric_alert: { rule: "Too many errors", level: critical }\n  action: propose`),
      'auto.yml': book('auto', `  for: 1h\n  rollback_if:\n    - health_down: { monitor: site, for: 1s }\n  action: auto`),
      'queue.yml': book('queue', `  for: 1h\n  rollback_if:\n    - queue_above: { monitor: failed-jobs, value: 20 }\n  action: auto`),
      'short.yml': book('short', `  for: 2s\n  rollback_if:\n    - queue_above: { monitor: failed-jobs, value: 1000 }`),
    },
  });
  bot = await sys.startBot();
});
afterAll(async () => {
  await sys?.stop();
  await site?.close();
});

async function startWatching(name: string): Promise<Run> {
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: `start ${name}` });
  return waitUntil(async () => (await bot.engine.recentRuns(5)).find((r) => r.runbook.name === name && r.status === 'watching'), 10_000, `${name} watching`);
}
const status = (id: string, want: string) => waitUntil(async () => { const r = await bot.engine.getRun(id); return r?.status === want ? r : null; }, 15_000, `${id} ${want}`);

it('proposes a rollback on a critical Sentry metric alert, mentioning the lead; Dismiss is authorized and recorded', async () => {
  const run = await startWatching('propose');
  expect(run.watch!.until - run.watch!.startedAt).toBe(3_600_000);
  const body = sentryWire(metricAlert('critical', 'Critical: Too many errors'));
  const url = sys.botUrls[0]!.replace('/slack/events', '/webhooks/sentry');
  expect((await fetch(url, { method: 'POST', headers: sentryHeaders('metric_alert', body), body })).status).toBe(200);
  const proposal = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => JSON.stringify(r.blocks).includes('proposal_dismiss')), 10_000);
  expect(JSON.stringify(proposal.blocks)).toContain('<@U0LEAD>');
  expect(JSON.stringify(proposal.blocks)).toContain('Too many errors');
  await sys.slack.click({ user: 'U0SECOND', channel: 'C0CUTOVER', ts: proposal.ts, action_id: 'proposal_dismiss' });
  await sys.slack.waitFor(async (c) => (await c.ephemerals('U0SECOND')).find((e) => /can't rollback/i.test(e.text)), 5000);
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: proposal.ts, action_id: 'proposal_dismiss' });
  const dismissed = await waitUntil(async () => { const r = await bot.engine.getRun(run.id); return r?.watch?.proposals[0]?.status === 'dismissed' ? r : null; }, 5000, 'dismissed');
  expect(dismissed.status).toBe('watching');
  // The audit entry is appended right after the state change: wait for it, then check the whole trail.
  const trail = await waitUntil(async () => { const a = (await bot.store.audit(run.id)).filter(isDecision).map((x) => x.kind); return a.includes('dismiss') ? a : null; }, 5000, 'dismiss audited');
  expect(trail).toEqual(['start', 'rollback', 'denied', 'dismiss']);
  await bot.engine.abort(run.id, 'U0LEAD');
});

it('rolls back automatically when the site stays down past health_down.for', async () => {
  const run = await startWatching('auto');
  site.setFail(true);
  const rolled = await status(run.id, 'rolled_back');
  site.setFail(false);
  expect(rolled.rollback!.requestedBy).toBe('tzero');
  expect(rolled.rollback!.reason).toMatch(/site has been down/);
  expect(rolled.steps[0]!.status).toBe('undone');
});

it('closes the window all clear when nothing fires', async () => {
  const run = await startWatching('short');
  const done = await status(run.id, 'succeeded');
  expect(done.endedAt! - done.watch!.startedAt).toBeGreaterThanOrEqual(2000);
  await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => /Rollback window closed .* all clear/.test(r.text)), 10_000);
});

it('rolls back automatically when the failed-jobs queue passes its threshold', async () => {
  const run = await startWatching('queue');
  const redis = new (await import('ioredis')).Redis(process.env.REDIS_URL!);
  try {
    await redis.rpush(queueKey, ...Array.from({ length: 25 }, (_, i) => `job${i}`));
    const rolled = await status(run.id, 'rolled_back');
    expect(rolled.rollback!.reason).toMatch(/failed-jobs is at 25, above 20/);
  } finally {
    await redis.del(queueKey);
    redis.disconnect();
  }
});
