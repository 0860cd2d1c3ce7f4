// §9.2: click-to-next-step latency. A run of approval steps; each signed Approve click (straight
// to tzero's /slack/events) should get the next approval started and awaiting.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { keys } from '../src/engine/keys.js';
import { RunStore } from '../src/engine/run-store.js';
import type { Run } from '../src/engine/types.js';
import { spawnTzero, SIGNING_SECRET } from './children.js';
import type { LocalServer } from './local-server.js';
import { approvalsRunbook, CHANNEL, runbooksDir } from './runbooks.js';
import { clickBody, commandBody, postSigned } from './signed-http.js';
import { sleep, summarize, type Summary } from './stats.js';

export interface ClickOptions { apiUrl: string; redisUrl: string; local: LocalServer; samples: number; warmup: number; gapMs: number }
export interface ClickResult {
  /** Click sent → next step's `startedAt` in the run record (Date.now() on both sides, 1 ms resolution). */
  toStartedAt: Summary;
  /** Click sent → next step seen `awaiting_approval` by polling Redis every ~1 ms. */
  toAwaiting: Summary;
  ack: Summary;
  peakRssMb: number;
}

export async function measureClicks(o: ClickOptions): Promise<ClickResult> {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const steps = o.warmup + o.samples + 1;
  const dir = runbooksDir({ 'bench-approvals': approvalsRunbook('bench-approvals', steps) });
  const tzero = await spawnTzero('click', { apiUrl: o.apiUrl, redisUrl: o.redisUrl, runbooksDir: dir, prefix });
  const redis = new Redis(o.redisUrl);
  const store = new RunStore(redis, keys(prefix));
  const awaiting = async (runId: string, i: number, timeoutMs: number): Promise<Run> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const run = await store.get(runId);
      if (run?.steps[i]?.status === 'awaiting_approval') return run;
      if (run && run.status !== 'running') throw new Error(`run ${runId} is ${run.status}`);
      if (performance.now() > deadline) throw new Error(`step ${i} of ${runId} not awaiting approval within ${timeoutMs} ms`);
      await sleep(1);
    }
  };
  try {
    const body = commandBody({ user: 'U0SECOND', channel: CHANNEL, text: 'start bench-approvals', responseUrl: o.local.responseUrl('click-start') });
    await postSigned(tzero.eventsUrl, SIGNING_SECRET, body);
    const reply = await o.local.reply('click-start', 15_000);
    const runId = /Started run `([a-z0-9]+)`/.exec(reply)?.[1];
    if (!runId) throw new Error(`start refused: ${reply.slice(0, 300)}`);
    let run = await awaiting(runId, 0, 15_000);
    const toStartedAt: number[] = [];
    const toAwaiting: number[] = [];
    const acks: number[] = [];
    for (let i = 0; i < steps - 1; i++) {
      const s = run.steps[i]!;
      const value = JSON.stringify({ runId, stepId: s.id, attempt: s.attempt });
      const click = clickBody({ user: 'U0LEAD', channel: CHANNEL, actionId: 'step_approve', value, responseUrl: o.local.responseUrl(`drop-click-${i}`) });
      const sentAt = Date.now();
      const p0 = performance.now();
      const ack = await postSigned(tzero.eventsUrl, SIGNING_SECRET, click);
      if (ack.status !== 200) throw new Error(`click ${i} answered ${ack.status}`);
      run = await awaiting(runId, i + 1, 10_000);
      const seen = performance.now() - p0;
      if (i >= o.warmup) {
        acks.push(ack.ms);
        toAwaiting.push(seen);
        toStartedAt.push(run.steps[i + 1]!.startedAt! - sentAt);
      }
      await sleep(o.gapMs);
    }
    return { toStartedAt: summarize(toStartedAt), toAwaiting: summarize(toAwaiting), ack: summarize(acks), peakRssMb: tzero.peakRssMb() };
  } finally {
    redis.disconnect();
    await tzero.stop();
  }
}
