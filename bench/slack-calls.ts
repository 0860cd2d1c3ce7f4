// §9.3: Slack Web API calls per step and 429s for a 50-step run, against the emulator enforcing
// Slack's limits, with tzero on its real outbox pacing. Counted from the emulator's per-method stats.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startEmulator } from '../emulator/server.js';
import { EmulatorClient } from '../emulator/client.js';
import { keys } from '../src/engine/keys.js';
import { RunStore } from '../src/engine/run-store.js';
import { BOT_TOKEN, SIGNING_SECRET, spawnTzero } from './children.js';
import type { LocalServer } from './local-server.js';
import { CHANNEL, checksRunbook, runbooksDir } from './runbooks.js';
import { commandBody, postSigned } from './signed-http.js';
import { sleep } from './stats.js';

export interface CallsOptions { redisUrl: string; local: LocalServer; steps: number }
export interface CallsResult {
  steps: number;
  calls: number;
  callsPerStep: number;
  byMethod: Record<string, { calls: number; ratelimited: number }>;
  ratelimited: number;
  /** Start command → run succeeded. */
  runMs: number;
  /** Start command → outbox drained (every message delivered). */
  totalMs: number;
  peakRssMb: number;
}

type Stats = Record<string, { calls: number; ratelimited: number }>;

export async function measureSlackCalls(o: CallsOptions): Promise<CallsResult> {
  const emu = await startEmulator({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, rateLimits: true });
  const slack = new EmulatorClient(emu.url);
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const k = keys(prefix);
  const dir = runbooksDir({ 'bench-fifty': checksRunbook('bench-fifty', o.steps, `${o.local.url}/ok`) });
  const tzero = await spawnTzero('calls', { apiUrl: emu.apiUrl, redisUrl: o.redisUrl, runbooksDir: dir, prefix });
  const redis = new Redis(o.redisUrl);
  const stats = async (): Promise<Stats> => structuredClone((await slack.state()).methodStats);
  try {
    const before = await stats();
    const t0 = performance.now();
    const body = commandBody({ user: 'U0SECOND', channel: CHANNEL, text: 'start bench-fifty', responseUrl: o.local.responseUrl('calls-start') });
    await postSigned(tzero.eventsUrl, SIGNING_SECRET, body);
    const runId = /Started run `([a-z0-9]+)`/.exec(await o.local.reply('calls-start', 15_000))?.[1];
    if (!runId) throw new Error('the 50-step run did not start');
    const store = new RunStore(redis, k);
    let runMs = 0;
    for (;;) {
      const run = await store.get(runId);
      if (run?.status === 'succeeded') break;
      if (run && run.status !== 'running') throw new Error(`50-step run ended ${run.status}`);
      if (performance.now() - t0 > 60_000) throw new Error('50-step run did not finish within 60 s');
      await sleep(20);
    }
    runMs = performance.now() - t0;
    // Drained: nothing dirty, no pass holding the channel's lock, and no new Web API call, twice in a row.
    let idleSince = 0;
    let last = '';
    for (;;) {
      const busy = (await redis.scard(k.outboxDirty)) > 0 || (await redis.exists(k.outboxLock(CHANNEL))) > 0;
      const now = JSON.stringify(await stats());
      if (busy || now !== last) idleSince = 0;
      else if (!idleSince) idleSince = performance.now();
      else if (performance.now() - idleSince > 1500) break;
      last = now;
      if (performance.now() - t0 > 170_000) throw new Error('outbox did not drain within 170 s');
      await sleep(200);
    }
    const totalMs = idleSince - t0;
    const after = await stats();
    const byMethod: Stats = {};
    for (const [m, s] of Object.entries(after)) {
      const d = { calls: s.calls - (before[m]?.calls ?? 0), ratelimited: s.ratelimited - (before[m]?.ratelimited ?? 0) };
      if (d.calls) byMethod[m] = d;
    }
    const calls = Object.values(byMethod).reduce((a, s) => a + s.calls, 0);
    const ratelimited = Object.values(byMethod).reduce((a, s) => a + s.ratelimited, 0);
    return { steps: o.steps, calls, callsPerStep: Math.round((calls / o.steps) * 100) / 100, byMethod, ratelimited, runMs: Math.round(runMs), totalMs: Math.round(totalMs), peakRssMb: tzero.peakRssMb() };
  } finally {
    redis.disconnect();
    await tzero.stop();
    await emu.close();
  }
}
