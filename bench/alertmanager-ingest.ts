// Alertmanager webhook ingest (issue 9): tzero's route on a real Bolt HTTPReceiver in a child
// process; an open-loop generator here (requests leave on schedule whatever the acks do, latency
// counts from the scheduled send, so queueing is not hidden). 1,000 alerts/s for 10 s, one alert
// per notification (Alertmanager's worst case: a group per alert), each a distinct alert, then
// the alerts acknowledged (accepted) compared with the inbox stream: lost = accepted - stored.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { alertKeys } from '../src/alerts/keys.js';
import { amAlert, amHeaders, amPayload, goWire } from '../test/alerts/alertmanager-fixtures.js';
import { freePort } from '../test/support/redis-server.js';
import { cpuMs, sleep, summarize, type Summary } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-alertmanager-token-7d41c0aa';
const TIMEOUT_MS = 5000;

export interface AlertmanagerIngestFigures extends Summary {
  rate: number; seconds: number; sent: number; ok: number; errors: number; achievedPerSec: number;
  serverCpuMsPerReq: number; generatorStallMaxMs: number;
  accepted: number; inStream: number;
  /** Acknowledged (200, accepted) but not in the inbox stream. Negative: stored, but the ack did not reach the generator (a client timeout). */
  lost: number;
  /** Non-2xx or client timeouts during the warm-up phase (its alerts count in accepted/inStream too). */
  warmupErrors: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: string): Promise<{ status: number; accepted: number }> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...amHeaders(TOKEN), 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => {
        let accepted = 0;
        try { accepted = Number((JSON.parse(text) as { accepted?: number }).accepted ?? 0); } catch { /* counted by status */ }
        resolve({ status: res.statusCode ?? 0, accepted });
      });
    });
    req.on('error', () => resolve({ status: 0, accepted: 0 }));
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/** A distinct firing alert in one of 50 groups, as Alertmanager encodes it. */
function notification(i: number): string {
  const fp = randomUUID().replace(/-/g, '').slice(0, 16);
  const group = i % 50;
  return goWire(amPayload([amAlert({ instance: `db${i}:9100`, fingerprint: fp, labels: { alertname: `Bench${group}`, instance: `db${i}:9100`, job: 'node', severity: 'warning' } })], { groupKey: `{}:{alertname="Bench${group}"}` }));
}

async function phase(url: string, rate: number, seconds: number, pid: number, counter: { accepted: number }) {
  const total = rate * seconds;
  const bodies = Array.from({ length: total }, (_, i) => notification(i));
  const samples: number[] = [];
  let ok = 0;
  let errors = 0;
  const inflight: Array<Promise<void>> = [];
  const cpu0 = cpuMs(pid);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const at = t0 + (sent * 1000) / rate;
      inflight.push(post(url, bodies[sent]!).then((res) => {
        samples.push(performance.now() - at);
        if (res.status === 200) ok++;
        else errors++;
        counter.accepted += res.accepted;
      }));
    }
    await sleep(1);
  }
  await Promise.all(inflight);
  loop.disable();
  const wall = performance.now() - t0;
  return {
    rate, seconds, sent: total, ok, errors, achievedPerSec: Math.round((ok / wall) * 1000),
    serverCpuMsPerReq: Math.round(((cpuMs(pid) - cpu0) / total) * 1000) / 1000,
    generatorStallMaxMs: Math.round(loop.max / 1e5) / 10,
    ...summarize(samples),
  };
}

export async function benchAlertmanagerIngest(opts: { redisUrl: string; rate?: number; seconds?: number }): Promise<AlertmanagerIngestFigures> {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'bench/alertmanager-server.ts'], {
    cwd: ROOT, env: { ...process.env, REDIS_URL: opts.redisUrl, TZERO_KEY_PREFIX: prefix, ALERTMANAGER_TOKEN: TOKEN, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const redis = new Redis(opts.redisUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`alertmanager bench server exited (${code})`)));
      setTimeout(() => reject(new Error('alertmanager bench server did not start in 30 s')), 30_000).unref();
    });
    const url = `http://127.0.0.1:${port}/webhooks/alertmanager`;
    const counter = { accepted: 0 };
    const warmup = await phase(url, 500, 2, child.pid!, counter); // warm-up (JIT, sockets); its alerts are accounted for too
    const main = await phase(url, opts.rate ?? 1000, opts.seconds ?? 10, child.pid!, counter);
    const inStream = await redis.xlen(alertKeys(prefix).inbox);
    return { ...main, accepted: counter.accepted, inStream, lost: counter.accepted - inStream, warmupErrors: warmup.errors };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length) await redis.unlink(...found);
    } while (cursor !== '0');
    await redis.quit();
    agent.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ensureRedis } = await import('../test/support/redis-server.js');
  const r = await ensureRedis();
  try {
    console.log(JSON.stringify(await benchAlertmanagerIngest({ redisUrl: r.url }), null, 2));
  } finally {
    await r.stop();
  }
}
