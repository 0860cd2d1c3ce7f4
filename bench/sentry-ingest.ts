// Signed Sentry webhook ingest (issue #3 §5): tzero's route on a real Bolt HTTPReceiver in a
// child process, an open-loop generator here (requests leave on schedule whatever the acks do;
// latency counts from the scheduled send, so queueing is not hidden). 1,000/s for 10 s, then a
// ramp, then accepted (2xx with accepted: 1) compared with the inbox stream length.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { alertKeys } from '../src/alerts/keys.js';
import { freePort } from '../test/support/redis-server.js';
import { eventAlert, sentryHeaders, sentryWire } from '../test/alerts/sentry-fixtures.js';
import { cpuMs, sleep, summarize, type Summary } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'bench-sentry-client-secret-5e0c';
const TIMEOUT_MS = 5000;
/** A rate is sustained when nothing failed, p99 stayed under this, and the acks kept up. */
const SUSTAINED_P99_MS = 100;

export interface IngestPhase extends Summary {
  rate: number; seconds: number; sent: number; ok: number; errors: number; achievedPerSec: number;
  /** CPU time of the ingest process per request (user + system), in ms. */
  serverCpuMsPerReq: number;
  /** Longest event-loop stall of the generator (this process) during the phase, in ms: a stall here delays sends and reads, and counts as latency. */
  generatorStallMaxMs: number;
}
export interface SentryIngestFigures {
  main: IngestPhase;
  ramp: IngestPhase[];
  /** Highest offered rate with 0 errors, p99 ≤ SUSTAINED_P99_MS, acks ≥ 97 % of the offered rate. */
  sustainedPerSec: number;
  accepted: number;
  inStream: number;
  lost: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; accepted: number }> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
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

async function phase(url: string, rate: number, seconds: number, counter: { accepted: number }, pid: number): Promise<IngestPhase> {
  const total = rate * seconds;
  // Distinct bodies (distinct event and issue ids), signed before the clock starts.
  const reqs = Array.from({ length: total }, () => {
    const id = randomUUID().replace(/-/g, '');
    const body = sentryWire(eventAlert({ eventId: id, issueId: String(parseInt(id.slice(0, 8), 16)) }));
    return { body, headers: sentryHeaders('event_alert', body, SECRET) };
  });
  const samples: number[] = [];
  let errors = 0;
  let ok = 0;
  const inflight: Array<Promise<void>> = [];
  const cpu0 = cpuMs(pid);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const at = t0 + (sent * 1000) / rate;
      const r = reqs[sent]!;
      inflight.push(post(url, r.body, r.headers).then((res) => {
        samples.push(performance.now() - at);
        if (res.status >= 200 && res.status < 300) ok++;
        else errors++;
        counter.accepted += res.accepted;
      }));
    }
    await sleep(1);
  }
  await Promise.all(inflight);
  loop.disable();
  const generatorStallMaxMs = Math.round(loop.max / 1e5) / 10;
  const wall = performance.now() - t0;
  const serverCpuMsPerReq = Math.round(((cpuMs(pid) - cpu0) / total) * 1000) / 1000;
  return { rate, seconds, sent: total, ok, errors, achievedPerSec: Math.round((ok / wall) * 1000), serverCpuMsPerReq, generatorStallMaxMs, ...summarize(samples) };
}

export async function benchSentryIngest(opts: { redisUrl: string; mainRate?: number; mainSeconds?: number; ramp?: number[]; rampSeconds?: number }): Promise<SentryIngestFigures> {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'bench/sentry-server.ts'], {
    cwd: ROOT, env: { ...process.env, REDIS_URL: opts.redisUrl, TZERO_KEY_PREFIX: prefix, SENTRY_CLIENT_SECRET: SECRET, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const redis = new Redis(opts.redisUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`sentry bench server exited (${code})`)));
      setTimeout(() => reject(new Error('sentry bench server did not start in 30 s')), 30_000).unref();
    });
    const url = `http://127.0.0.1:${port}/webhooks/sentry`;
    const counter = { accepted: 0 };
    await phase(url, 500, 2, counter, child.pid!); // warm-up (JIT, sockets); its alerts are accounted for too
    const main = await phase(url, opts.mainRate ?? 1000, opts.mainSeconds ?? 10, counter, child.pid!);
    const ramp: IngestPhase[] = [];
    for (const rate of opts.ramp ?? [1500, 2000, 2500, 3000]) {
      await sleep(500);
      const p = await phase(url, rate, opts.rampSeconds ?? 3, counter, child.pid!);
      ramp.push(p);
      if (p.errors > p.sent * 0.05) break; // past breaking point: stop hammering
    }
    const good = (p: IngestPhase) => p.errors === 0 && p.p99 <= SUSTAINED_P99_MS && p.achievedPerSec >= p.rate * 0.97;
    const sustainedPerSec = Math.max(0, ...[main, ...ramp].filter(good).map((p) => p.rate));
    const inStream = await redis.xlen(alertKeys(prefix).inbox);
    return { main, ramp, sustainedPerSec, accepted: counter.accepted, inStream, lost: counter.accepted - inStream };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    await cleanup(redis, prefix);
    await redis.quit();
    agent.destroy();
  }
}

async function cleanup(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) await redis.unlink(...found);
  } while (cursor !== '0');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ensureRedis } = await import('../test/support/redis-server.js');
  const r = await ensureRedis();
  try {
    console.log(JSON.stringify(await benchSentryIngest({ redisUrl: r.url }), null, 2));
  } finally {
    await r.stop();
  }
}
