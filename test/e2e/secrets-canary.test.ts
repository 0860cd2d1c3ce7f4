// Secrets stay secret at rest: a canary secret in every position (header, query, body, env,
// output split across writes and across stdout/stderr, an error message, a notify), then every
// Redis key of every type, Redis's append-only file on disk, every log line and every Slack call
// are scanned for it and for the forms tzero derives from it. Zero hits.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { MASK } from '../../src/lib/redact.js';
import { createLogger } from '../../src/log.js';
import { scanRedis } from '../support/redis-scan.js';
import { startPrivateRedis, type RedisHandle } from '../support/redis-server.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const CANARY = 'Cn4ry@ss w0rd"/+Qz';
/** The canary and what code paths derive from it: URL-encoded (query, form), JSON-escaped, lower-cased. */
const NEEDLES = [
  CANARY,
  encodeURIComponent(CANARY),
  'Cn4ry@ss%20w0rd',
  new URLSearchParams({ t: CANARY }).toString().slice(2),
  JSON.stringify(CANARY).slice(1, -1),
  'w0rd"/+qz',
  'Cn4ry@ss',
];

let target: http.Server;
let redisServer: RedisHandle;
let redis: Redis;
let sys: System;
let bot: Tzero;
let proxy: http.Server;
const logLines: string[] = [];
const slackBodies: string[] = [];
let slackTarget = '';

/** Echoes the request back (as a careless API would), or answers 500 with it for /fail. */
function startTarget(): Promise<string> {
  target = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      const echo = JSON.stringify({ url: req.url, auth: req.headers.authorization, body, lower: String(req.headers.authorization).toLowerCase() });
      res.writeHead(req.url!.startsWith('/fail') ? 500 : 200, { 'content-type': 'application/json' }).end(echo);
    });
  });
  return new Promise((r) => target.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(target.address() as AddressInfo).port}`)));
}

/** Sits between tzero and the Slack emulator and keeps every request body: every Slack call. */
function startSlackProxy(): Promise<string> {
  proxy = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c)).on('end', async () => {
      slackBodies.push(`${req.url} ${body}`);
      // fetch sets its own length and host (a non-ASCII body's byte length is not its string length).
      const { 'content-length': _len, host: _host, ...headers } = req.headers as Record<string, string>;
      const upstream = await fetch(new URL(req.url!.replace(/^\/api\//, ''), slackTarget), { method: req.method, headers, body: body || undefined });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(await upstream.text());
    });
  });
  return new Promise((r) => proxy.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/`)));
}

beforeAll(async () => {
  redisServer = await startPrivateRedis({ appendonly: true });
  redis = new Redis(redisServer.url);
  const url = await startTarget();
  const proxyUrl = await startSlackProxy();
  const runbook = `name: canary
channel: C0CUTOVER
roles: { lead: [U0LEAD] }
secrets: [CANARY_TOKEN]
steps:
  - id: call
    uses: http.request
    with:
      url: "${url}/echo?token=\${{ secrets.CANARY_TOKEN }}"
      method: POST
      headers: { authorization: "Bearer \${{ secrets.CANARY_TOKEN }}" }
      json: { token: "\${{ secrets.CANARY_TOKEN }}" }
      outputs: { echoed: body, url: url }
  - id: echo
    uses: shell
    with:
      run: |
        printf 'start %s' "$(printf '%s' "$TOKEN" | cut -c1-7)"
        sleep 2.5
        printf '%s end\\n' "$(printf '%s' "$TOKEN" | cut -c8-)" >&2
        echo "token=$TOKEN" >> "$TZERO_OUTPUT"
        echo "said=\${{ steps.call.outputs.echoed }}" >> "$TZERO_OUTPUT"
      env: { TOKEN: "\${{ secrets.CANARY_TOKEN }}" }
  - id: tell
    uses: notify
    with: { text: "@lead token is \${{ secrets.CANARY_TOKEN }}, output \${{ steps.echo.outputs.token }}" }
  - id: fail
    uses: http.request
    with:
      url: "${url}/fail?token=\${{ secrets.CANARY_TOKEN }}"
      headers: { authorization: "Bearer \${{ secrets.CANARY_TOKEN }}" }
`;
  sys = await startSystem({
    runbooks: { 'canary.yml': runbook },
    env: { CANARY_TOKEN: CANARY, REDIS_URL: redisServer.url, SLACK_API_URL: proxyUrl },
    log: createLogger('debug', 'tzero', { write: (line) => logLines.push(line) }),
  });
  slackTarget = sys.emu.apiUrl;
  bot = await sys.startBot();
}, 30_000);

afterAll(async () => {
  await sys?.stop();
  redis?.disconnect();
  await redisServer?.stop();
  await new Promise((r) => target?.close(r));
  await new Promise((r) => proxy?.close(r));
});

function hitsIn(where: string, text: string): string[] {
  const low = text.toLowerCase();
  return NEEDLES.filter((n) => low.includes(n.toLowerCase())).map((n) => `${where}: ${n}`);
}

function aofText(dir: string): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  return files.filter((f) => /aof/i.test(f)).map((f) => readFileSync(f, 'latin1')).join('\n');
}

describe('a canary secret in every position', () => {
  it('is nowhere at rest: not in any Redis key, the AOF on disk, any log line or any Slack call', async () => {
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: 'start canary' });
    const run = await waitUntil(async () => {
      const r = await bot.engine.activeRun('C0CUTOVER');
      return r?.steps.find((s) => s.id === 'fail')?.status === 'failed' ? r : null;
    }, 40_000, 'the last step failed with the echoed canary');
    // The steps really used the secret (the target echoed it; the output and notify saw it) …
    const echo = run.steps.find((s) => s.id === 'echo')!;
    expect(echo.outputs.token).toBe(MASK);
    expect(await bot.store.output(run.id, 'echo')).toBe(`start ${MASK} end\n`);
    const notify = await sys.slack.waitFor(async (c) => {
      const card = (await c.messages('C0CUTOVER'))[0];
      return card && (await c.thread('C0CUTOVER', card.ts)).find((m) => m.text.includes('token is'));
    }, 10_000);
    expect(notify.text).toBe(`<@U0LEAD> token is ${MASK}, output ${MASK}`);
    // … and the failure's evidence quotes the response (with the canary masked).
    const decoded = () => slackBodies.map((b) => decodeURIComponent(b.replace(/\+/g, ' ')));
    const evidence = await sys.slack.waitFor(async () => decoded().find((b) => b.includes('expected a 2xx status, got 500') && b.includes('response:')), 10_000);
    expect(evidence).toContain(`Bearer ${MASK}`);

    const { keys, hits } = await scanRedis(redis, '*', NEEDLES);
    expect(keys).toBeGreaterThan(10);
    expect(hits).toEqual([]);
    const aof = aofText(redisServer.dir!);
    expect(aof).toContain(sys.prefix); // the AOF holds this run's writes
    expect(hitsIn('aof', aof)).toEqual([]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.flatMap((l, i) => hitsIn(`log line ${i}`, l))).toEqual([]);
    expect(slackBodies.length).toBeGreaterThan(3);
    expect(decoded().flatMap((b, i) => hitsIn(`slack call ${i}`, b))).toEqual([]);
    expect(slackBodies.flatMap((b, i) => hitsIn(`slack call ${i} (raw)`, b))).toEqual([]);
    expect(hitsIn('emulator state', JSON.stringify(await sys.slack.state()))).toEqual([]);
  });
});
