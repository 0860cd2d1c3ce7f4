// GET /metrics on a real tzero (emulator for Slack, real Redis): after a real run, an approval
// and alerts, the scrape shows what happened, with bounded labels, and matches what the Slack
// emulator counted. Two bots in one process keep separate registries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { AM_TOKEN, amHeaders, amPayload, db1, goWire } from '../alerts/alertmanager-fixtures.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { parseProm, value, type Sample } from './prom-text.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0042';
let sys: System;
let bot: Tzero;
let base: string;

const runbook = `
name: measured
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: prep, uses: shell, with: { run: 'true' } }
  - { id: gate, uses: approval, with: { prompt: "Go?", approvers: [lead] } }
  - { id: fail, uses: shell, with: { run: 'exit 3' } }
`;

beforeAll(async () => {
  sys = await startSystem({
    env: { ALERTMANAGER_TOKEN: AM_TOKEN, METRICS_TOKEN },
    runbooks: { 'measured.yml': runbook },
    // One post per second per channel, no burst: the outbox (posting as fast as tests allow) meets real 429s.
    rateLimits: { postMessagePerChannel: { burst: 1, perMinute: 60 } },
  });
  bot = await sys.startBot();
  base = sys.botUrls[0]!.replace('/slack/events', '');
});
afterAll(async () => {
  await sys?.stop();
});

async function scrape(token: string | null = METRICS_TOKEN): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
const samples = async (): Promise<Sample[]> => parseProm((await scrape()).text);

describe('GET /metrics', () => {
  it('needs the bearer token when METRICS_TOKEN is set, and serves Prometheus text with the default process metrics', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('wrong-token-wrong-token')).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const s = parseProm(ok.text);
    expect(value(s, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(s.some((x) => x.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(s.some((x) => x.name === 'process_resident_memory_bytes')).toBe(true);
  });

  it('shows a run: steps by type and result, the approval wait, the run end, Slack calls and 429s matching what Slack saw, outbox lag', async () => {
    await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start measured' });
    const run = await waitUntil(async () => { const r = (await bot.engine.recentRuns(1))[0]; return r?.steps[1]!.status === 'awaiting_approval' ? r : null; }, 15_000, 'gate');
    const live = await samples();
    expect(value(live, 'tzero_runs', { status: 'running' })).toBe(1);
    const gate = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => JSON.stringify(r.blocks).includes('step_approve')), 15_000);
    await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: gate.ts, action_id: 'step_approve' });
    await waitUntil(async () => (await bot.engine.getRun(run.id))?.status === 'paused', 15_000, 'failed step pauses the run');
    await bot.engine.abort(run.id, 'U0LEAD');
    await waitUntil(async () => (await bot.engine.getRun(run.id))?.status === 'aborted', 15_000, 'aborted');
    await waitUntil(() => bot.outbox.idle(), 30_000, 'outbox drained');
    const s = await waitUntil(async () => { const x = await samples(); return value(x, 'tzero_runs_finished_total') >= 1 ? x : null; }, 10_000, 'run end counted');

    expect(value(s, 'tzero_runs_finished_total', { status: 'aborted', dry_run: 'false' })).toBe(1);
    expect(value(s, 'tzero_runs', { status: 'running' })).toBe(0);
    expect(value(s, 'tzero_step_duration_seconds_count', { type: 'shell', result: 'done' })).toBe(1);
    expect(value(s, 'tzero_step_duration_seconds_count', { type: 'shell', result: 'failed' })).toBe(1);
    expect(value(s, 'tzero_step_duration_seconds_count', { type: 'approval', result: 'done' })).toBe(1);
    expect(value(s, 'tzero_approval_wait_seconds_count', { result: 'approved' })).toBe(1);
    expect(value(s, 'tzero_approval_wait_seconds_sum', { result: 'approved' })).toBeGreaterThan(0);

    // The bot's count of Slack calls is what the Slack side received, method by method.
    const seen = await sys.slack.state();
    for (const method of ['chat.postMessage', 'chat.update']) {
      expect(value(s, 'tzero_slack_api_calls_total', { method })).toBe(seen.methodStats[method]!.calls);
      expect(value(s, 'tzero_slack_api_ratelimited_total', { method })).toBe(seen.ratelimited[method] ?? 0);
    }
    expect(seen.ratelimited['chat.postMessage']).toBeGreaterThan(0);
    expect(value(s, 'tzero_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ratelimited' })).toBe(seen.ratelimited['chat.postMessage']);
    // Every delivered card/step version was timed from its state change.
    expect(value(s, 'tzero_outbox_lag_seconds_count', { kind: 'card' })).toBeGreaterThan(0);
    expect(value(s, 'tzero_outbox_lag_seconds_count', { kind: 'step' })).toBeGreaterThan(0);
    expect(s.some((x) => x.name === 'tzero_queue_jobs')).toBe(true);

    // Bounded labels: no run, user or channel ids anywhere in the scrape.
    const text = (await scrape()).text;
    for (const id of [run.id, 'U0LEAD', 'U0SECOND', 'C0CUTOVER']) expect(text).not.toContain(id);
  });

  it('counts alert ingest by source and result', async () => {
    const url = `${base}/webhooks/alertmanager`;
    const body = goWire(amPayload([db1()]));
    expect((await fetch(url, { method: 'POST', headers: amHeaders(), body })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', headers: amHeaders(), body })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', headers: amHeaders('nope-nope-nope-nope'), body })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: amHeaders(), body: '{' })).status).toBe(400);
    const s = await samples();
    expect(value(s, 'tzero_alert_ingest_total', { source: 'alertmanager', result: 'accepted' })).toBe(1);
    expect(value(s, 'tzero_alert_ingest_total', { source: 'alertmanager', result: 'duplicate' })).toBe(1);
    expect(value(s, 'tzero_alert_ingest_total', { source: 'alertmanager', result: 'unauthorized' })).toBe(1);
    expect(value(s, 'tzero_alert_ingest_total', { source: 'alertmanager', result: 'invalid' })).toBe(1);
  });

  it('keeps one registry per tzero: a second bot in this process starts from zero', async () => {
    const second = await sys.startBot();
    const res = await fetch(`${sys.botUrls[1]!.replace('/slack/events', '')}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const s = parseProm(await res.text());
    expect(value(s, 'tzero_alert_ingest_total')).toBe(0);
    expect(value(s, 'tzero_step_duration_seconds_count')).toBe(0);
    expect(value(await samples(), 'tzero_alert_ingest_total')).toBeGreaterThan(0);
    expect(second.metrics.registry).not.toBe(bot.metrics.registry);
  });
});
