// Bots under test as child processes (`node --import tsx <script>`), so their memory is their own:
// tzero through test/support/bot-process.ts on the real outbox pacing, or the bare Bolt app.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/redis-server.js';

export const SIGNING_SECRET = 'bench-signing-secret-3c1f0a9e77d2';
export const BOT_TOKEN = 'xoxb-bench-token-not-real';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const running = new Set<ChildProcess>();

/** SIGKILLs every bot still running (the bench's watchdog). */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
}

export interface Child {
  name: string;
  pid: number;
  /** The bot's POST /slack/events. */
  eventsUrl: string;
  logFile: string;
  /** Peak resident set (VmHWM) so far, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export interface ChildEnv {
  apiUrl: string;
  redisUrl?: string;
  runbooksDir?: string;
  prefix?: string;
}

export async function spawnTzero(name: string, e: ChildEnv): Promise<Child> {
  return spawnBot(name, 'test/support/bot-process.ts', {
    REDIS_URL: e.redisUrl!, RUNBOOKS_DIR: e.runbooksDir!, TZERO_KEY_PREFIX: e.prefix!, LOG_LEVEL: 'warn',
    // Empty: the real outbox pacing (defaultOutboxOptions), not the fast one tests use.
    TZERO_FAST_OUTBOX: '',
  }, e.apiUrl);
}

export function spawnBareBolt(e: ChildEnv): Promise<Child> {
  return spawnBot('bare-bolt', 'bench/bare-bolt.ts', {}, e.apiUrl);
}

async function spawnBot(name: string, script: string, extra: Record<string, string>, apiUrl: string): Promise<Child> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `tzero-bench-${name}-${process.pid}.log`);
  const log = openSync(logFile, 'w');
  const env = { ...process.env, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, PORT: String(port), ...extra };
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the bots.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', log, log] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(`${base}/healthz`, child, logFile);
  const pid = child.pid!;
  return {
    name, pid, eventsUrl: `${base}/slack/events`, logFile,
    peakRssMb: () => vmHwmMb(pid),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${url} did not come up; log:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

/** VmHWM from /proc/<pid>/status: the process's peak resident set size, in MB. */
export function vmHwmMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
