// §9.1: ack latency of signed /cutover status and /cutover start under 50 concurrent clients,
// tzero beside a bare Bolt app that only acks, both as child processes in the same run.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { spawnBareBolt, spawnTzero, SIGNING_SECRET, type Child } from './children.js';
import type { LocalServer } from './local-server.js';
import { CHANNEL, runbooksDir, startRunbookName, startRunbooks } from './runbooks.js';
import { commandBody, postSigned } from './signed-http.js';
import { cpuMs, runLoad, runRounds, sleep, summarize, type LoadResult, type Summary } from './stats.js';

export interface AckOptions { apiUrl: string; redisUrl: string; local: LocalServer; total: number; startTotal: number; concurrency: number; warmup: number }
/** cpuMsPerReq: the bot process's CPU (user + system) per request over the timed parts, in ms. */
export type Measured = Summary & { wallMs: number; meanInFlight: number; non200: number; cpuMsPerReq: number };
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

  // tzero answers every command on response_url after its ack; before measuring the other bot,
  // wait until it has (so neither is measured while the other still works).
  let tzeroSent = 0;
  const quiet = async () => {
    const deadline = Date.now() + 30_000;
    while ((await o.local.received()) < tzeroSent && Date.now() < deadline) await sleep(20);
  };
  const send = async (bot: Child, text: string, replyId: string) => {
    if (bot === tzero) tzeroSent += 1;
    const body = commandBody({ user: 'U0SECOND', channel: CHANNEL, text, responseUrl: o.local.responseUrl(replyId) });
    const r = await postSigned(bot.eventsUrl, SIGNING_SECRET, body);
    if (r.status !== 200) non200 += 1;
    return r.ms;
  };
  const status = (bot: Child) => (_slot: number, n: number) => send(bot, 'status', `drop-${bot.name}-${n}`);
  const startText = (slot: number) => `start ${startRunbookName(slot)}`;
  const bareStart = (slot: number, n: number) => send(bare, startText(slot), `drop-bare-${n}`);
  // Starts go in bursts of `concurrency`, one per runbook (distinct names and locks), to both bots
  // alike. For tzero, each runbook's lock (held by its previous run, which stays awaiting
  // approval) is freed before a burst, and every answer on response_url is awaited and checked
  // after it (untimed), so each start is a real start.
  let round = 0;
  const tzeroStart = (slot: number, n: number) => send(tzero, startText(slot), `start-${round}-${n}`);
  const tzeroHooks = {
    prepare: (slot: number) => redis.del(`${prefix}:lock:${startRunbookName(slot)}`),
    settle: async (_slot: number, n: number) => {
      const reply = await o.local.reply(`start-${round}-${n}`, 30_000);
      if (/Started run/.test(reply)) starts.real += 1;
      else {
        starts.refused += 1;
        starts.sample ??= reply.slice(0, 300);
      }
    },
  };
  const rounds = o.startTotal / o.concurrency;
  const takeNon200 = () => {
    const n = non200;
    non200 = 0;
    return n;
  };
  try {
    console.log('  warming up bare Bolt and tzero');
    await runLoad(o.warmup, o.concurrency, status(bare));
    await runRounds(o.warmup / o.concurrency, o.concurrency, bareStart);
    await runLoad(o.warmup, o.concurrency, status(tzero));
    await quiet();
    console.log(`  /cutover status: ${o.total} each, bare Bolt and tzero in alternating halves`);
    const halves: Record<string, LoadResult[]> = { bare: [], tzero: [] };
    const non: Record<string, number> = { bare: 0, tzero: 0 };
    const cpu: Record<string, number> = { bare: 0, tzero: 0 };
    takeNon200();
    for (const bot of [bare, tzero, bare, tzero]) {
      const name = bot === bare ? 'bare' : 'tzero';
      const c0 = cpuMs(bot.pid);
      halves[name]!.push(await runLoad(o.total / 2, o.concurrency, status(bot)));
      // tzero's replies still in flight are its work for these requests: counted, untimed.
      await quiet();
      cpu[name]! += cpuMs(bot.pid) - c0;
      non[name]! += takeNon200();
    }
    const statusBare = measured(halves.bare!, non.bare!, cpu.bare!);
    const statusTzero = measured(halves.tzero!, non.tzero!, cpu.tzero!);
    console.log(`  /cutover start: ${o.startTotal} each in bursts of ${o.concurrency}, bare Bolt, then tzero (real starts, after its own warm-up)`);
    let c0 = cpuMs(bare.pid);
    const startBareLoad = await runRounds(rounds, o.concurrency, bareStart);
    const startBare = measured([startBareLoad], takeNon200(), cpuMs(bare.pid) - c0);
    await runRounds(o.warmup / o.concurrency, o.concurrency, tzeroStart, tzeroHooks);
    round = 1;
    Object.assign(starts, { real: 0, refused: 0, sample: undefined });
    // tzero's CPU here includes the untimed settle (answers awaited) and the started runs' first
    // step jobs and card messages: the whole work of a start, not only its ack.
    c0 = cpuMs(tzero.pid);
    const startTzeroLoad = await runRounds(rounds, o.concurrency, tzeroStart, tzeroHooks);
    const startTzero = measured([startTzeroLoad], takeNon200(), cpuMs(tzero.pid) - c0);
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

function measured(parts: LoadResult[], non200: number, cpuMsTotal: number): Measured {
  const samples = parts.flatMap((p) => p.samples);
  const wallMs = parts.reduce((a, p) => a + p.wallMs, 0);
  const inFlight = samples.reduce((a, b) => a + b, 0) / wallMs;
  const cpuMsPerReq = Math.round((cpuMsTotal / samples.length) * 100) / 100;
  return { ...summarize(samples), wallMs: Math.round(wallMs), meanInFlight: Math.round(inFlight * 10) / 10, non200, cpuMsPerReq };
}
