// §9.1: ack latency of signed /cutover status and /cutover start under 50 concurrent clients,
// tzero beside a bare Bolt app that only acks, both as child processes in the same run.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { spawnBareBolt, spawnTzero, SIGNING_SECRET, type Child } from './children.js';
import type { LocalServer } from './local-server.js';
import { CHANNEL, runbooksDir, startRunbookName, startRunbooks } from './runbooks.js';
import { commandBody, postSigned } from './signed-http.js';
import { runLoad, summarize, type LoadResult, type Summary } from './stats.js';

export interface AckOptions { apiUrl: string; redisUrl: string; local: LocalServer; total: number; concurrency: number; warmup: number }
export type Measured = Summary & { wallMs: number; meanInFlight: number; non200: number };
export interface AckResult {
  status: { bare: Measured; tzero: Measured };
  start: { bare: Measured; tzero: Measured; realStarts: number; refused: number; refusedSample?: string };
  peakRssMb: { tzero: number; bareBolt: number };
}

export async function measureAcks(o: AckOptions): Promise<AckResult> {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const dir = runbooksDir(startRunbooks(o.concurrency));
  const bare = await spawnBareBolt({ apiUrl: o.apiUrl });
  const tzero = await spawnTzero('ack', { apiUrl: o.apiUrl, redisUrl: o.redisUrl, runbooksDir: dir, prefix });
  const redis = new Redis(o.redisUrl);
  let non200 = 0;
  const starts = { real: 0, refused: 0, sample: undefined as string | undefined };

  const send = async (bot: Child, text: string, replyId: string) => {
    const body = commandBody({ user: 'U0SECOND', channel: CHANNEL, text, responseUrl: o.local.responseUrl(replyId) });
    const r = await postSigned(bot.eventsUrl, SIGNING_SECRET, body);
    if (r.status !== 200) non200 += 1;
    return r.ms;
  };
  const status = (bot: Child) => (_slot: number, n: number) => send(bot, 'status', `drop-${bot.name}-${n}`);
  const bareStart = (slot: number, n: number) => send(bare, `start ${startRunbookName(slot)}`, `drop-bare-${n}`);
  // Client `slot` owns runbook `slot`: it frees that runbook's lock (held by its previous run, which
  // stays awaiting approval), sends the start, and waits (untimed) for tzero's answer on
  // response_url before its next start, so every start is a real one; the answer is checked.
  let round = 0;
  const tzeroStart = async (slot: number, n: number) => {
    const name = startRunbookName(slot);
    await redis.del(`${prefix}:lock:${name}`);
    const id = `start-${round}-${n}`;
    const ms = await send(tzero, `start ${name}`, id);
    const reply = await o.local.reply(id, 30_000);
    if (/Started run/.test(reply)) starts.real += 1;
    else {
      starts.refused += 1;
      starts.sample ??= reply.slice(0, 300);
    }
    return ms;
  };
  const measure = async (fn: (slot: number, n: number) => Promise<number>): Promise<Measured> => {
    non200 = 0;
    const r: LoadResult = await runLoad(o.total, o.concurrency, fn);
    return { ...summarize(r.samples), wallMs: Math.round(r.wallMs), meanInFlight: r.meanInFlight, non200 };
  };
  try {
    console.log('  warming up bare Bolt and tzero');
    await runLoad(o.warmup, o.concurrency, status(bare));
    await runLoad(o.warmup, o.concurrency, bareStart);
    await runLoad(o.warmup, o.concurrency, status(tzero));
    console.log('  /cutover status: bare Bolt, then tzero');
    const statusBare = await measure(status(bare));
    const statusTzero = await measure(status(tzero));
    console.log('  /cutover start: bare Bolt, then tzero (after its own warm-up)');
    const startBare = await measure(bareStart);
    await runLoad(o.warmup, o.concurrency, tzeroStart);
    round = 1;
    Object.assign(starts, { real: 0, refused: 0, sample: undefined });
    const startTzero = await measure(tzeroStart);
    return {
      status: { bare: statusBare, tzero: statusTzero },
      start: { bare: startBare, tzero: startTzero, realStarts: starts.real, refused: starts.refused, ...(starts.sample ? { refusedSample: starts.sample } : {}) },
      peakRssMb: { tzero: tzero.peakRssMb(), bareBolt: bare.peakRssMb() },
    };
  } finally {
    redis.disconnect();
    await tzero.stop();
    await bare.stop();
  }
}
