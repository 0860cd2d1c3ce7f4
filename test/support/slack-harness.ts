// A real Bolt App (HTTPReceiver on a free port) wired to a fake engine, a local stand-in for
// the Slack Web API (slackApiUrl) and for response_url; requests are signed with the real HMAC.
import { App, LogLevel } from '@slack/bolt';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createHttpReceiver } from '../../src/slack/http-receiver.js';
import { registerCommands } from '../../src/commands/index.js';
import { registerInteractions } from '../../src/interactions/index.js';
import type { FakeEngine } from './fake-engine.js';
import { freePort } from './redis-server.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface ApiCall { method: string; params: Record<string, string> }
export interface Sent { status: number; body: string; ms: number }

export interface Harness {
  api: ApiCall[];
  /** Bodies POSTed to response_url, in order. */
  responses: Array<Record<string, unknown>>;
  responseUrl: string;
  send(body: string, opts?: { ts?: number; signature?: string }): Promise<Sent>;
  close(): Promise<void>;
}

export function sign(body: string, ts: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function startHarness(engine: FakeEngine): Promise<Harness> {
  const api: ApiCall[] = [];
  const responses: Array<Record<string, unknown>> = [];
  const stub = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/respond')) {
        responses.push(JSON.parse(raw));
        return res.end('ok');
      }
      const method = (req.url ?? '').replace('/api/', '');
      api.push({ method, params: Object.fromEntries(new URLSearchParams(raw)) });
      if (method === 'auth.test') return res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
      if (method === 'views.open') return res.end(JSON.stringify({ ok: true, view: { id: 'V1' } }));
      res.end(JSON.stringify({ ok: true }));
    });
  });
  const stubPort = await listen(stub);
  const app = new App({
    receiver: createHttpReceiver(SIGNING_SECRET, [], pino({ level: 'silent' }), LogLevel.ERROR),
    token: 'xoxb-test',
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: `http://127.0.0.1:${stubPort}/api/`, retryConfig: { retries: 0 } },
  });
  registerCommands(app, { engine, log: pino({ level: 'silent' }) });
  registerInteractions(app, { engine, log: pino({ level: 'silent' }) });
  const port = await freePort();
  await app.start(port);
  return {
    api,
    responses,
    responseUrl: `http://127.0.0.1:${stubPort}/respond/1`,
    async send(body, opts = {}) {
      const ts = opts.ts ?? Math.floor(Date.now() / 1000);
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': opts.signature ?? sign(body, ts),
        },
        body,
      });
      const text = await res.text();
      return { status: res.status, body: text, ms: performance.now() - started };
    },
    async close() {
      await app.stop();
      await new Promise((r) => stub.close(r));
    },
  };
}

/** Polls until `check` returns something truthy (default 2 s). */
export async function waitFor<T>(check: () => T | undefined | null | false, ms = 2000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
