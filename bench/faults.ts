// Issue #6 §7/§8 figures: process start → /readyz 200 (built: `node dist/src/index.js`), /readyz
// recovery after a 20 s Redis outage (a private redis-server stopped and started again on the
// same port and data), and a new issue in an existing alert group → visible in Slack (real relay
// group_wait/group_interval and outbox pacing). Part of `npm run bench`; runnable alone with
// `npx tsx bench/faults.ts` (it then merges its rows into bench/results.json).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.js';
import { EmulatorClient } from '../emulator/client.js';
import { CLIENT_SECRET, eventAlert, sentryHeaders, sentryWire } from '../test/alerts/sentry-fixtures.js';
import { freePort, startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { BOT_TOKEN, SIGNING_SECRET } from './children.js';
import { printTable, verdict, type Row } from './report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTAGE_MS = 20_000;
const STARTS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

const ready = async (port: number) => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;

interface Bot { port: number; child: ChildProcess; stop(): Promise<void> }

/** CPU time (user + system) a process has used so far, from /proc (Linux; 100 ticks/s). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function startBuilt(env: Record<string, string>): Promise<Bot & { readyMs: number; cpuMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/src/index.js'], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  await until(() => ready(port), 60_000, 'readyz 200 after start');
  const readyMs = Math.round(performance.now() - t0);
  return {
    port, child, readyMs, cpuMs: cpuMs(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface FaultFigures { rows: Row[]; details: Record<string, unknown> }

export async function measureFaults(): Promise<FaultFigures> {
  console.log('faults: building (npm run build) so that the bot starts as `node dist/src/index.js`');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const emu = await startEmulator({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, rateLimits: true });
  const slack = new EmulatorClient(emu.url);
  const data = mkdtempSync(path.join(os.tmpdir(), 'tzero-bench-redis-'));
  let redis: PrivateRedis = await startPrivateRedis({ persistDir: data });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-bench-faults-'));
  const runbooks = path.join(dir, 'runbooks');
  execFileSync('mkdir', ['-p', runbooks]);
  writeFileSync(path.join(dir, 'monitors.yml'), 'alerts_channel: C0ALERTS\n');
  const env = (prefix: string) => ({
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emu.apiUrl, REDIS_URL: redis.url,
    RUNBOOKS_DIR: runbooks, TZERO_KEY_PREFIX: prefix, SENTRY_CLIENT_SECRET: CLIENT_SECRET, MONITORS_FILE: path.join(dir, 'monitors.yml'),
  });
  const bots: Bot[] = [];
  try {
    // 1. start → ready, a few times (each a fresh process on a fresh prefix).
    const starts: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const bot = await startBuilt(env(`bfs${i}`));
      starts.push(bot.readyMs);
      cpu.push(bot.cpuMs);
      await bot.stop();
    }
    console.log(`faults: start → /readyz 200: ${starts.join(', ')} ms (CPU used by then: ${cpu.join(', ')} ms)`);

    // 2. Redis away for 20 s, then back with its data: how long until /readyz is 200 again.
    const bot = await startBuilt(env('bfo'));
    bots.push(bot);
    const { port, dir: redisDir } = redis;
    await redis.stop();
    await until(async () => !(await ready(bot.port)), 10_000, 'readyz red during the outage');
    await sleep(OUTAGE_MS);
    redis = await startPrivateRedis({ port, persistDir: redisDir });
    const back = performance.now();
    await until(() => ready(bot.port), 120_000, 'readyz 200 after the outage');
    const recoveryMs = Math.round(performance.now() - back);
    console.log(`faults: /readyz 200 again ${recoveryMs} ms after Redis came back`);

    // 3. A group message exists; a new issue arrives under the same rule: until Slack shows it.
    const hook = `http://127.0.0.1:${bot.port}/webhooks/sentry`;
    const send = async (payload: unknown) => {
      const body = sentryWire(payload);
      const res = await fetch(hook, { method: 'POST', headers: sentryHeaders('event_alert', body), body });
      if (res.status !== 200) throw new Error(`sentry webhook answered ${res.status}`);
    };
    const group = async () => (await slack.messages('C0ALERTS')).find((m) => m.text.includes('Very Important Alert Rule!'));
    await send(eventAlert({ title: 'First failure', eventId: 'bench-1', issueId: '9001' }));
    await until(group, 60_000, 'group message posted', 100); // after group_wait (10 s)
    await send(eventAlert({ title: 'First failure', eventId: 'bench-2', issueId: '9001' })); // an edit now waits for group_interval
    await sleep(3000);
    const t0 = performance.now();
    await send(eventAlert({ title: 'A new failure', eventId: 'bench-3', issueId: '9002' }));
    await until(async () => (await group())?.text.includes('2 issues'), 60_000, 'new issue visible', 50);
    const newIssueMs = Math.round(performance.now() - t0);
    console.log(`faults: new issue visible in the group message after ${newIssueMs} ms`);

    const rows: Row[] = [
      { metric: 'process start -> /readyz 200', value: median(starts), unit: 'ms', target: { op: '<=', value: 3000 }, detail: `node dist/src/index.js after a build; ${STARTS} starts: ${starts.join(', ')} ms; CPU the process had used when ready: ${cpu.join(', ')} ms (wall ≫ CPU on a loaded machine)` },
      { metric: 'process start -> /readyz 200, CPU used', value: median(cpu), unit: 'ms', detail: 'user + system time of the bot process at its first /readyz 200 (/proc); what the start costs without other load' },
      { metric: '/readyz recovery after a 20 s Redis outage', value: recoveryMs, unit: 'ms', target: { op: '<=', value: 5000 }, detail: 'from the restarted redis-server accepting connections (same port and data) to /readyz 200' },
      { metric: 'new issue in an existing alert group -> visible in Slack', value: newIssueMs, unit: 'ms', target: { op: '<=', value: 12_000 }, detail: 'default group_wait 10 s, group_interval 30 s, outbox pacing; the message had just been edited' },
    ];
    return { rows, details: { starts, startCpuMs: cpu, recoveryMs, newIssueMs, loadavg: os.loadavg() } };
  } finally {
    for (const b of bots) await b.stop().catch(() => undefined);
    await redis.stop();
    await emu.close();
  }
}

// Alone: print, and merge the rows into bench/results.json (other figures kept).
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { rows, details } = await measureFaults();
  printTable(rows);
  const file = path.join(ROOT, 'bench', 'results.json');
  const prev = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { figures?: Array<{ metric: string }>; details?: Record<string, unknown> }) : {};
  const figures = [...(prev.figures ?? []).filter((f) => !rows.some((r) => r.metric === f.metric)), ...rows.map((r) => ({ ...r, result: verdict(r) }))];
  writeFileSync(file, `${JSON.stringify({ ...prev, figures, details: { ...prev.details, faults: details } }, null, 2)}\n`);
  console.log('wrote bench/results.json');
  process.exit(0);
}
