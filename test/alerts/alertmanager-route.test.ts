// POST /webhooks/alertmanager on a real Bolt App (HTTPReceiver, customRoutes, as in production),
// real Redis, payloads shaped and encoded as Alertmanager and Grafana send them.
import { App, LogLevel } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertmanagerWebhookRoute } from '../../src/alerts/alertmanager/route.js';
import { RedisAlertInbox } from '../../src/alerts/inbox.js';
import type { IngestOutcome } from '../../src/alerts/ingest-outcome.js';
import { freePort } from '../support/redis-server.js';
import { AM_TOKEN, amHeaders, amPayload, db1, db2, goWire, grafanaPayload, resolvedBatch, truncatedBatch } from './alertmanager-fixtures.js';

const redis = new Redis(process.env.REDIS_URL!);
let app: App;
let url: string;
let inbox: RedisAlertInbox;
let logs: string[];
let outcomes: Array<[IngestOutcome, number]>;

interface Res { status: number; json: Record<string, unknown>; headers: Headers }

async function startApp(token: string | undefined, box?: RedisAlertInbox): Promise<void> {
  inbox = box ?? new RedisAlertInbox(redis, `t${randomUUID().slice(0, 8)}`);
  logs = [];
  outcomes = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  app = new App({
    signingSecret: 'slack-signing-secret', token: 'xoxb-test', tokenVerificationEnabled: false, logLevel: LogLevel.ERROR,
    customRoutes: [alertmanagerWebhookRoute({ token, inbox, log, onIngest: (_s, o, n) => void (n && outcomes.push([o, n])) })],
  });
  const port = await freePort();
  await app.start(port);
  url = `http://127.0.0.1:${port}/webhooks/alertmanager`;
}

async function post(body: string, headers: Record<string, string> = amHeaders()): Promise<Res> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const send = (payload: unknown) => post(goWire(payload));
const stored = async () => (await inbox.readBatch('test', 100, 0)).map((e) => e.event);

beforeEach(() => startApp(AM_TOKEN));
afterEach(async () => {
  inbox.close();
  await app.stop();
});
afterAll(() => redis.quit());

describe('POST /webhooks/alertmanager', () => {
  it('stores each alert of an Alertmanager notification before answering: one group per groupKey, items by fingerprint, severity from the label', async () => {
    const body = goWire(amPayload([db1(), db2({ labels: { alertname: 'DiskFull', instance: 'db2:9100', job: 'node', severity: 'warning' } })]));
    expect(body).toContain('\\u0026g0.tab=1'); // Go's encoder: & in generatorURL as \u0026
    expect(await post(body)).toMatchObject({ status: 200, json: { ok: true, accepted: 2, duplicate: 0, truncated: 0 } });
    const events = await stored();
    expect(events.map((e) => [e.source, e.fingerprint, e.status, e.severity])).toEqual([
      ['alertmanager', 'alertmanager:3f1a9c0d2b7e4a11', 'firing', 'critical'],
      ['alertmanager', 'alertmanager:8b2d4e6f10a3c5e7', 'firing', 'warning'],
    ]);
    expect(new Set(events.map((e) => e.group))).toEqual(new Set(['alertmanager:{}/{severity="critical"}:{alertname="DiskFull"}']));
    expect(events[0]).toMatchObject({
      title: 'DiskFull: Disk on db1:9100 is 95% full',
      url: expect.stringContaining('http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes'),
      labels: { alertname: 'DiskFull', instance: 'db1:9100', job: 'node', severity: 'critical' },
      rule: 'DiskFull',
    });
    expect(events[0]!.details).toEqual(['instance=db1:9100', 'job=node', 'Filesystem /var/lib/mysql has less than 5% space left.']);
    expect(outcomes).toEqual([]); // accepted alerts are counted by the inbox (metered-inbox), not twice here
  });

  it('the same notification again (a retry, or the next group_interval flush) stores nothing new; a resolved batch stores only what changed', async () => {
    const first = goWire(amPayload([db1(), db2()]));
    expect((await post(first)).json).toMatchObject({ accepted: 2, duplicate: 0 });
    expect((await post(first)).json).toMatchObject({ ok: true, accepted: 0, duplicate: 2 });
    // db1 resolved, db2 still firing with the same startsAt: one new event, db1 resolved.
    expect((await send(resolvedBatch())).json).toMatchObject({ accepted: 1, duplicate: 1 });
    expect((await send(resolvedBatch())).json).toMatchObject({ accepted: 0, duplicate: 2 });
    // db1 fires again later: a new startsAt is a new alert state.
    expect((await send(amPayload([db1({ startsAt: '2026-09-01T11:00:00Z' })]))).json).toMatchObject({ accepted: 1 });
    const events = await stored();
    expect(events.map((e) => [e.fingerprint.slice(-4), e.status])).toEqual([['4a11', 'firing'], ['c5e7', 'firing'], ['4a11', 'resolved'], ['4a11', 'firing']]);
    expect(events[2]!.at).toBe(Date.parse('2026-09-01T10:07:12.5+02:00'));
  });

  it('a truncated batch (max_alerts) stores the listed alerts and says how many were left out', async () => {
    expect(await send(truncatedBatch())).toMatchObject({ status: 200, json: { accepted: 2, truncated: 3 } });
    expect((await stored()).map((e) => e.truncated)).toEqual([3, 3]);
    expect(logs.some((l) => l.includes('truncated by max_alerts') && l.includes('"truncated":3'))).toBe(true);
  });

  it("accepts Grafana's webhook contact point payload, extra fields and all", async () => {
    expect(await send(grafanaPayload('firing'))).toMatchObject({ status: 200, json: { accepted: 1 } });
    expect(await send(grafanaPayload('resolved'))).toMatchObject({ status: 200, json: { accepted: 1 } });
    const [firing, resolved] = await stored();
    expect(firing).toMatchObject({
      source: 'alertmanager', group: 'alertmanager:{}:{}', fingerprint: 'alertmanager:c6eadffa33fcdf37', status: 'firing',
      severity: 'warning', title: 'High memory usage: This alert was triggered for zone us-1',
      url: 'https://play.grafana.org/alerting/1afz29v7z/edit', labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
    });
    expect(firing!.details).toEqual(['via Grafana', 'team=blue', 'zone=us-1', 'The system has high memory usage']);
    expect(resolved).toMatchObject({ status: 'resolved', fingerprint: firing!.fingerprint, at: Date.parse('2021-10-12T09:56:03.157076+02:00') });
  });

  it('missing, wrong or non-Bearer Authorization → 401, nothing stored, token never logged', async () => {
    const body = goWire(amPayload([db1()]));
    const noAuth = await post(body, amHeaders(null));
    expect(noAuth).toMatchObject({ status: 401, json: { ok: false, error: 'invalid bearer token' } });
    expect(noAuth.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(body, amHeaders('not-the-token'))).status).toBe(401);
    expect((await post(body, amHeaders(`${AM_TOKEN}x`))).status).toBe(401);
    expect((await post(body, { ...amHeaders(), authorization: `Basic ${Buffer.from(`am:${AM_TOKEN}`).toString('base64')}` })).status).toBe(401);
    expect((await post(body, { ...amHeaders(), authorization: AM_TOKEN })).status).toBe(401);
    // The scheme is case-insensitive (RFC 9110).
    expect((await post(body, { ...amHeaders(), authorization: `bearer ${AM_TOKEN}` })).status).toBe(200);
    expect(await inbox.length()).toBe(1);
    expect(logs.filter((l) => l.includes('bad token'))).toHaveLength(5);
    expect(logs.join('\n')).not.toContain(AM_TOKEN);
    expect(outcomes.filter(([o]) => o === 'unauthorized')).toHaveLength(5);
  });

  it('no token configured → 503', async () => {
    await app.stop();
    inbox.close();
    await startApp(undefined);
    expect(await send(amPayload([db1()]))).toMatchObject({ status: 503, json: { ok: false, error: 'alertmanager webhooks not configured' } });
    expect(await inbox.length()).toBe(0);
  });

  it('malformed → 400 with the reason, nothing stored', async () => {
    expect(await post('{"version":"4",')).toMatchObject({ status: 400, json: { ok: false, error: 'body is not valid JSON' } });
    const { groupKey: _, ...noKey } = amPayload([db1()]);
    expect(await send(noKey)).toMatchObject({ status: 400, json: { error: 'groupKey is missing' } });
    expect((await send(amPayload([db1({ status: 'pending' as 'firing' })]))).json.error).toMatch(/^alerts\.0\.status /);
    expect((await send({ ...amPayload([]), alerts: 'none' })).status).toBe(400);
    expect(logs.filter((l) => l.includes('payload refused'))).toHaveLength(3);
    expect(await inbox.length()).toBe(0);
  });

  it('over 1 MB → 413, nothing stored', async () => {
    const big = goWire(amPayload([db1({ annotations: { description: 'x'.repeat(1024 * 1024) } })]));
    expect((await post(big)).status).toBe(413);
    expect(await inbox.length()).toBe(0);
  });

  it('Redis down → 503 so Alertmanager retries', async () => {
    await app.stop();
    inbox.close();
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    await startApp(AM_TOKEN, new RedisAlertInbox(dead, 'x'));
    expect(await send(amPayload([db1()]))).toMatchObject({ status: 503, json: { ok: false, error: 'could not store the alerts, retry' } });
    dead.disconnect();
  });
});
