// tzero watching itself: its step queue backing up (a built-in queue monitor), step workers not
// processing (the heartbeat the step worker writes, not a PING — workers can stop consuming
// while Redis answers, bullmq#4479) and Redis reconnect storms (counted per connection, per
// process: the storm is this process's view of Redis). `readiness()` lists the same problems
// so /readyz goes red with them.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AlertEvent, AlertInbox } from '../alerts/types.js';
import { keys } from '../engine/keys.js';
import { STEP_QUEUE } from '../jobs/step-queue.js';
import { formatDuration } from '../runbooks/duration.js';
import type { Monitors } from './load.js';
import { deliverPending, iso, LUA_PUSH, monitorKeys, type TransitionBase } from './state.js';

export const SELF_CHECK_EVERY_MS = 5000;
const DEFAULT_STALE_AFTER_MS = 15_000;
const DEFAULT_STORM = { count: 5, windowMs: 60_000 };

/** Adds the step-queue monitor (above 20 for 1m) unless the file declares a queue with that id. */
export function selfMonitors(monitors: Monitors): Monitors {
  if (monitors.queues.some((q) => q.id === STEP_QUEUE)) return monitors;
  const builtin = { id: STEP_QUEUE, source: { bullmq: { queue: STEP_QUEUE } }, above: 20, for: 60_000, every: SELF_CHECK_EVERY_MS };
  return { ...monitors, queues: [...monitors.queues, builtin] };
}

// KEYS: state hash, pending list. ARGV: bad (1/0), now, detail.
const FLIP = `${LUA_PUSH}
local firing = redis.call('HGET', KEYS[1], 'firing') == '1'
if ARGV[1] == '1' and not firing then
  redis.call('HSET', KEYS[1], 'firing', 1, 'since', ARGV[2])
  return push({ kind = 'firing', detail = ARGV[3] })
elseif ARGV[1] == '0' and firing then
  local since = tonumber(redis.call('HGET', KEYS[1], 'since'))
  redis.call('HSET', KEYS[1], 'firing', 0)
  return push({ kind = 'resolved', detail = ARGV[3], since = since })
end
return false
`;
interface Flip extends TransitionBase {
  kind: 'firing' | 'resolved';
  detail: string;
  since?: number;
}

export interface SelfWatchOptions {
  redis: Redis;
  keyPrefix: string;
  inbox: AlertInbox;
  /** Heartbeat older than this → workers not processing (default 15 s). */
  staleAfterMs?: number;
  /** Reconnects within the window that make a storm (default 5 in 1 min). */
  storm?: { count: number; windowMs: number };
}

export interface SelfWatch {
  /** Counts `reconnecting` events of this connection from now on. */
  watchConnection(connection: Redis): void;
  /** Heartbeat staleness → `self:workers` firing/resolved (state in Redis: runs on one replica per interval). */
  checkWorkers(): Promise<{ stale: boolean; lastHeartbeat: number | null; events: AlertEvent[] }>;
  /** This process's reconnect count → `self:redis` firing/resolved. */
  checkRedis(): Promise<{ storm: boolean; reconnects: number; events: AlertEvent[] }>;
  /** Problems for /readyz; empty when healthy. Never throws, answers within about a second. */
  readiness(): Promise<string[]>;
  /** Checks reconnect storms every second in this process (each replica has its own connections). */
  start(): void;
  stop(): void;
}

export function createSelfWatch(options: SelfWatchOptions): SelfWatch {
  const { redis, keyPrefix, inbox } = options;
  const staleAfter = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const storm = options.storm ?? DEFAULT_STORM;
  const startedAt = Date.now();
  const instance = randomUUID().slice(0, 8);
  const reconnects: number[] = [];
  // Connections lost after being ready: one outage, however long, is one drop; a flapping
  // connection is many. Readiness looks at drops, so /readyz is green again as soon as Redis is
  // back from one outage (its reconnect attempts still raise the self:redis alert).
  const drops: number[] = [];
  const undelivered: AlertEvent[] = [];
  let stormSince: number | undefined;
  let stormSeq = 0;
  let timer: NodeJS.Timeout | undefined;

  const recentReconnects = (now: number) => {
    while (reconnects.length && reconnects[0]! <= now - storm.windowMs) reconnects.shift();
    return reconnects.length;
  };
  const heartbeat = async () => {
    const last = Number(await redis.get(keys(keyPrefix).heartbeat)) || null;
    const now = Date.now();
    // No heartbeat yet is only a problem once a worker has had time to write one.
    const stale = last ? now - last > staleAfter : now - startedAt > staleAfter;
    return { last, stale, now };
  };
  const workerEvent = (t: Flip): AlertEvent => ({
    id: `self:workers:${t.seq}:${t.kind}`,
    source: 'self',
    fingerprint: 'self:workers',
    group: 'self:workers',
    monitor: 'workers',
    status: t.kind,
    severity: t.kind === 'firing' ? 'critical' : 'info',
    title: t.kind === 'firing' ? 'tzero step workers are not processing' : 'tzero step workers are processing again',
    details: [t.detail, ...(t.since ? [`${t.kind === 'firing' ? 'since' : 'stalled for'} ${formatDuration(t.at - t.since)}`] : [])],
    at: t.at,
  });

  return {
    watchConnection(connection) {
      connection.on('reconnecting', () => reconnects.push(Date.now()));
      let up = connection.status === 'ready';
      connection.on('ready', () => (up = true));
      connection.on('close', () => {
        if (up) drops.push(Date.now());
        up = false;
      });
    },
    async checkWorkers() {
      const { last, stale, now } = await heartbeat();
      const detail = last ? `last heartbeat ${formatDuration(now - last)} ago (${iso(last)})` : 'no heartbeat recorded';
      const key = monitorKeys(keyPrefix).self('workers');
      await redis.eval(FLIP, 2, key, `${key}:pending`, stale ? 1 : 0, now, detail);
      return { stale, lastHeartbeat: last, events: await deliverPending<Flip>(redis, key, inbox, workerEvent) };
    },
    async checkRedis() {
      const now = Date.now();
      const count = recentReconnects(now);
      const isStorm = count >= storm.count;
      if (isStorm !== (stormSince !== undefined)) {
        const kind = isStorm ? 'firing' : 'resolved';
        const since = stormSince ?? now;
        stormSince = isStorm ? now : undefined;
        undelivered.push({
          id: `self:redis:${instance}:${++stormSeq}:${kind}`,
          source: 'self',
          fingerprint: 'self:redis',
          group: 'self:redis',
          monitor: 'redis',
          status: kind,
          severity: isStorm ? 'critical' : 'info',
          title: isStorm ? 'tzero keeps reconnecting to Redis' : 'tzero reconnects to Redis have calmed down',
          details: isStorm ? [`${count} reconnects in the last ${formatDuration(storm.windowMs)}`, `process ${instance}`] : [`storm lasted ${formatDuration(now - since)}`, `process ${instance}`],
          at: now,
        });
      }
      // Kept in memory until accepted: during a storm the inbox (Redis) may be unreachable.
      const events: AlertEvent[] = [];
      while (undelivered.length) {
        try {
          await inbox.accept(undelivered[0]!);
        } catch {
          break;
        }
        events.push(undelivered.shift()!);
      }
      return { storm: isStorm, reconnects: count, events };
    },
    async readiness() {
      const problems: string[] = [];
      const now = Date.now();
      while (drops.length && drops[0]! <= now - storm.windowMs) drops.shift();
      if (drops.length >= storm.count) problems.push(`redis reconnect storm: ${drops.length} reconnects in the last ${formatDuration(storm.windowMs)}`);
      try {
        const read = Promise.all([heartbeat(), redis.hget(monitorKeys(keyPrefix).queue(STEP_QUEUE), 'firing'), redis.hget(monitorKeys(keyPrefix).queue(STEP_QUEUE), 'value')]);
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref());
        const [{ last, stale, now }, backedUp, depth] = await Promise.race([read, timeout]);
        if (stale) problems.push(last ? `step workers not processing: last heartbeat ${formatDuration(now - last)} ago` : 'step workers not processing: no heartbeat');
        if (backedUp === '1') problems.push(`step queue backing up: ${depth} jobs`);
      } catch {
        problems.push('redis unreachable');
      }
      return problems;
    },
    start() {
      timer ??= setInterval(() => void this.checkRedis().catch(() => {}), 1000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
