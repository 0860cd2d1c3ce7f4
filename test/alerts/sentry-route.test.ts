// POST /webhooks/sentry on a real Bolt App (HTTPReceiver, customRoutes, as in production),
// real Redis, real signed Sentry payloads.
import { App, LogLevel } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisAlertInbox } from '../../src/alerts/inbox.js';
import { SentryInstallations } from '../../src/alerts/sentry/installations.js';
import { sentryWebhookRoute } from '../../src/alerts/sentry/route.js';
import { freePort } from '../support/redis-server.js';
import { CLIENT_SECRET, eventAlert, installation, issue, metricAlert, sentryHeaders, sentryWire } from './sentry-fixtures.js';

const redis = new Redis(process.env.REDIS_URL!);
let app: App;
let url: string;
let inbox: RedisAlertInbox;
let installs: SentryInstallations;
let logs: string[];

interface Res { status: number; json: Record<string, unknown> }

async function startApp(secret: string | undefined): Promise<void> {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  inbox = new RedisAlertInbox(redis, prefix);
  installs = new SentryInstallations(redis, prefix);
  logs = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  app = new App({
    signingSecret: 'slack-signing-secret', token: 'xoxb-test', tokenVerificationEnabled: false, logLevel: LogLevel.ERROR,
    customRoutes: [sentryWebhookRoute({ secret, inbox, log })],
  });
  const port = await freePort();
  await app.start(port);
  url = `http://127.0.0.1:${port}/webhooks/sentry`;
}

async function post(body: string | Buffer, headers: Record<string, string>): Promise<Res> {
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function send(resource: string, payload: unknown): Promise<Res> {
  const body = sentryWire(payload);
  return post(body, sentryHeaders(resource, body));
}

beforeEach(() => startApp(CLIENT_SECRET));
afterEach(async () => {
  inbox.close();
  await app.stop();
});
afterAll(() => redis.quit());

describe('POST /webhooks/sentry', () => {
  it('accepts each alert resource into the inbox before answering', async () => {
    expect(await send('event_alert', eventAlert())).toEqual({ status: 200, json: { ok: true, accepted: 1, duplicate: 0 } });
    expect((await send('metric_alert', metricAlert('critical', 'Critical: Too many errors'))).json).toMatchObject({ accepted: 1 });
    expect((await send('issue', issue('created'))).json).toMatchObject({ accepted: 1 });
    expect((await send('issue', issue('resolved'))).json).toMatchObject({ accepted: 1 });
    const got = await inbox.readBatch('test', 10, 0);
    expect(got.map((e) => [e.event.fingerprint, e.event.status])).toEqual([
      ['sentry:issue:1117540176', 'firing'], ['sentry:metric:7', 'firing'], ['sentry:issue:1170820242', 'firing'], ['sentry:issue:1170820242', 'resolved'],
    ]);
  });

  it('a retry (new Request-ID, same body) is accepted once', async () => {
    const body = sentryWire(eventAlert());
    const first = sentryHeaders('event_alert', body);
    const retry = sentryHeaders('event_alert', body);
    expect(retry['request-id']).not.toBe(first['request-id']);
    expect((await post(body, first)).json).toMatchObject({ accepted: 1, duplicate: 0 });
    expect((await post(body, retry)).json).toMatchObject({ ok: true, accepted: 0, duplicate: 1 });
    // A different event under the same rule is a new alert.
    expect((await send('event_alert', eventAlert({ eventId: 'f'.repeat(32) }))).json).toMatchObject({ accepted: 1 });
    expect(await inbox.length()).toBe(2);
  });

  it('signs the raw bytes: non-ASCII passes as sent, the re-serialized JSON signature is refused', async () => {
    const title = 'Ошибка: naïve café 🚨';
    const raw = sentryWire(issue('created', { title }));
    expect(raw).not.toContain('é');
    const reserialized = JSON.stringify(JSON.parse(raw));
    const wrong = sentryHeaders('issue', reserialized);
    const right = sentryHeaders('issue', raw);
    expect(wrong['sentry-hook-signature']).not.toBe(right['sentry-hook-signature']);
    expect((await post(raw, wrong)).status).toBe(401);
    expect(await inbox.length()).toBe(0);
    expect(await post(raw, right)).toMatchObject({ status: 200, json: { accepted: 1 } });
    // Literal UTF-8 bytes (a proxy or a future Sentry) verify too, since the check is on bytes.
    expect(await post(Buffer.from(reserialized), sentryHeaders('issue', reserialized))).toMatchObject({ status: 200, json: { accepted: 1 } });
    const got = await inbox.readBatch('test', 10, 0);
    expect(got.map((e) => e.event.title)).toEqual([title, title]);
  });

  it('forged or missing signature → 401, nothing stored, Request-ID logged, secret never', async () => {
    const body = sentryWire(issue());
    const forged = sentryHeaders('issue', body, 'not-the-secret');
    expect(await post(body, forged)).toEqual({ status: 401, json: { ok: false, error: 'invalid signature' } });
    const { ['sentry-hook-signature']: _, ...unsigned } = sentryHeaders('issue', body);
    expect((await post(body, unsigned)).status).toBe(401);
    expect(await inbox.length()).toBe(0);
    const bad = logs.filter((l) => l.includes('bad signature'));
    expect(bad).toHaveLength(2);
    expect(bad[0]).toContain(forged['request-id']);
    expect(logs.join('\n')).not.toContain(CLIENT_SECRET);
  });

  it('malformed → 400 with the reason, logged', async () => {
    const notJson = '{"action":';
    expect(await post(notJson, sentryHeaders('issue', notJson))).toEqual({ status: 400, json: { ok: false, error: 'body is not valid JSON' } });
    const m = metricAlert('critical');
    delete (m.data.metric_alert.alert_rule as { name?: string }).name;
    expect(await send('metric_alert', m)).toEqual({ status: 400, json: { ok: false, error: 'metric_alert: data.metric_alert.alert_rule.name is missing' } });
    expect(logs.some((l) => l.includes('payload refused') && l.includes('alert_rule.name is missing'))).toBe(true);
    expect(await inbox.length()).toBe(0);
  });

  it('other resources → 200 and ignored', async () => {
    for (const r of ['error', 'comment', 'seer']) expect((await send(r, issue())).json).toMatchObject({ ok: true, accepted: 0, duplicate: 0 });
    expect(await inbox.length()).toBe(0);
  });

  it('installation → 200 and recorded', async () => {
    expect(await send('installation', installation())).toEqual({ status: 200, json: { ok: true, accepted: 0, duplicate: 0 } });
    expect(await installs.get('a8e5d37a-696c-4c54-adb5-b3f28d64c7de')).toMatchObject({ org: 'test-org', action: 'created', status: 'pending' });
    expect(await inbox.length()).toBe(0);
  });

  it('over 1 MB → 413, declared or streamed, without reading it all', async () => {
    const fits = sentryWire(issue('created', { culprit: 'x'.repeat(1024 * 1024 - 1500) }));
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(1024 * 1024);
    expect(await post(fits, sentryHeaders('issue', fits))).toMatchObject({ status: 200, json: { accepted: 1 } });
    const big = sentryWire(issue('created', { culprit: 'x'.repeat(1024 * 1024) }));
    expect((await post(big, sentryHeaders('issue', big))).status).toBe(413);
    // Chunked, no Content-Length: refused once the cap is passed, while the client is still sending.
    let sent = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { ...sentryHeaders('issue', 'x'), 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const pump = () => {
        while (sent < 8 * 1024 * 1024 && req.write(Buffer.alloc(64 * 1024, 'a'))) sent += 64 * 1024;
        if (sent < 8 * 1024 * 1024) req.once('drain', () => ((sent += 64 * 1024), pump()));
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(8 * 1024 * 1024);
    expect(await inbox.length()).toBe(1);
  });

  it('no client secret configured → 503', async () => {
    await app.stop();
    inbox.close();
    await startApp(undefined);
    expect(await send('issue', issue())).toEqual({ status: 503, json: { ok: false, error: 'sentry webhooks not configured' } });
  });

  it('Redis down → 503 so Sentry retries', async () => {
    await app.stop();
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    const log = pino({ level: 'silent' });
    app = new App({ signingSecret: 's', token: 'xoxb-test', tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, customRoutes: [sentryWebhookRoute({ secret: CLIENT_SECRET, inbox: new RedisAlertInbox(dead, 'x'), installations: new SentryInstallations(dead, 'x'), log })] });
    const port = await freePort();
    await app.start(port);
    url = `http://127.0.0.1:${port}/webhooks/sentry`;
    expect((await send('issue', issue())).status).toBe(503);
    dead.disconnect();
  });
});
