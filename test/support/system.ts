// A whole tzero for end-to-end tests: the local Slack emulator, tzero itself (in this process,
// or as a child process that can be SIGKILLed) on a fresh Redis prefix, and a runbooks folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server.js';
import { EmulatorClient } from '../../emulator/client.js';
import { createTzero, type Tzero } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { RelayOptions } from '../../src/alerts/relay.js';
import { freePort } from './redis-server.js';
import type { Clock } from '../../src/lib/clock.js';

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e';
export const BOT_TOKEN = 'xoxb-test-token-not-real';
export const APP_TOKEN = 'xapp-1-A0TZERO-test-app-token-not-real';
/** Alert grouping scaled down for tests: gather for 300 ms, edit as often as the outbox allows. */
export const FAST_RELAY = { groupWaitMs: 300, groupIntervalMs: 0 };

export interface SystemOptions {
  runbooks: Record<string, string>;
  env?: Record<string, string>;
  rateLimits?: EmulatorOptions['rateLimits'];
  /** Fast outbox for tests that do not measure Slack pacing. */
  fastOutbox?: boolean;
  /** Alert relay settings over FAST_RELAY (in-process bots). */
  relay?: Partial<RelayOptions>;
  /** Socket Mode: the emulator delivers only over its WebSocket; bots get SLACK_APP_TOKEN and no signing secret. */
  socketMode?: boolean;
  /** The one clock for in-process bots (a ManualClock drives a week-long plan in seconds). */
  clock?: Clock;
  /** The logger of in-process bots (default: silent, or TEST_LOG_LEVEL). */
  log?: Logger;
}

export interface System {
  emu: Emulator;
  slack: EmulatorClient;
  dir: string;
  env: Record<string, string>;
  prefix: string;
  /** Where each started bot listens, in start order (the emulator delivers to the latest). */
  botUrls: string[];
  /** Starts a tzero in this process. */
  startBot(): Promise<Tzero>;
  /** Starts a tzero as a child process (for kill -9 tests). */
  spawnBot(): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export async function startSystem(opts: SystemOptions): Promise<System> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-runbooks-'));
  for (const [file, text] of Object.entries(opts.runbooks)) writeFileSync(path.join(dir, file), text);
  const emu = await startEmulator({
    signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, rateLimits: opts.rateLimits ?? false,
    ...(opts.socketMode ? { appToken: APP_TOKEN, socketMode: true } : {}),
  });
  const slack = new EmulatorClient(emu.url);
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const bots: Tzero[] = [];
  const children: ChildProcess[] = [];
  const baseEnv: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(opts.socketMode ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_API_URL: emu.apiUrl,
    REDIS_URL: process.env.REDIS_URL!,
    RUNBOOKS_DIR: dir,
    LOG_LEVEL: 'warn',
    TZERO_KEY_PREFIX: prefix,
    SHUTDOWN_GRACE: '3s', // teardown of a bot with a step still running
    ...opts.env,
  };

  const botUrls: string[] = [];
  async function botEnv() {
    const port = await freePort();
    botUrls.push(`http://127.0.0.1:${port}/slack/events`);
    // In Socket Mode the bot dials the emulator; there is no URL to deliver to.
    if (!opts.socketMode) emu.setBotUrl(botUrls.at(-1)!);
    return { ...baseEnv, PORT: String(port) };
  }

  return {
    emu, slack, dir, env: baseEnv, prefix, botUrls,
    async startBot() {
      const env = await botEnv();
      const bot = createTzero(loadConfig(env), {
        log: opts.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
        outbox: opts.fastOutbox === false ? {} : { postIntervalMs: 0, editIntervalMs: 0, updatesPerMinute: 10_000, tickMs: 30 },
        relay: { ...(opts.fastOutbox === false ? {} : FAST_RELAY), ...opts.relay },
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
      await bot.start();
      bots.push(bot);
      return bot;
    },
    async spawnBot() {
      const env = await botEnv();
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/bot-process.ts'], {
        env: { ...process.env, ...env, TZERO_FAST_OUTBOX: opts.fastOutbox === false ? '' : '1' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      children.push(child);
      await waitForHttp(`http://127.0.0.1:${env.PORT}/healthz`, 45_000);
      return child;
    },
    async stop() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      for (const b of bots) await b.stop().catch(() => undefined);
      await emu.close();
    },
  };
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitUntil<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
