// Notices a Redis that came back empty — flushed, or a failover to a replica that missed
// writes — by tzero's epoch marker being gone or replaced. Recreates what tzero needs to keep
// working (via `repair`) and says, in the log and in /readyz, what was lost.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Keys } from './engine/keys.js';

const CHECK_EVERY_MS = 2000;
const KEEP_NOTICES = 10;

export interface LossWatch {
  start(): Promise<void>;
  /** One check (also run on every reconnect and every 2 s). */
  check(): Promise<void>;
  /** What was lost, newest last, for /readyz. */
  notices(): string[];
  stop(): void;
}

export interface LossWatchDeps {
  redis: Redis;
  k: Keys;
  log: Logger;
  /** Recreates what tzero needs; returns what was done, e.g. "alert relay consumer group recreated". */
  repair(): Promise<string[]>;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';

export function createLossWatch({ redis, k, log, repair }: LossWatchDeps): LossWatch {
  let epoch: string | undefined;
  let activeRuns: string[] = [];
  const found: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let checking = false;
  const onReady = () => void watch.check();

  const watch: LossWatch = {
    async start() {
      const mine = JSON.stringify({ id: randomUUID(), since: Date.now() });
      await redis.set(k.epoch, mine, 'NX');
      epoch = (await redis.get(k.epoch)) ?? mine;
      activeRuns = await redis.smembers(k.activeRuns);
      redis.on('ready', onReady);
      timer = setInterval(onReady, CHECK_EVERY_MS);
      timer.unref();
    },
    async check() {
      if (checking || epoch === undefined || redis.status !== 'ready') return;
      checking = true;
      try {
        const now = await redis.get(k.epoch);
        if (now === epoch) {
          activeRuns = await redis.smembers(k.activeRuns);
          return;
        }
        // Gone (this replica notices first) or replaced (another replica noticed and repaired).
        const at = Date.now();
        const next = JSON.stringify({ id: randomUUID(), since: at });
        await redis.set(k.epoch, next, 'NX');
        epoch = (await redis.get(k.epoch)) ?? next;
        const repaired = await repair();
        const runs = activeRuns.length ? `${activeRuns.length} active run(s) (${activeRuns.join(', ')}) with their audit trail and messages` : 'no active run';
        const notice = `Redis came back empty (noticed ${iso(at)}): lost ${runs}, alert groups and silences, queued jobs; ${repaired.join('; ') || 'nothing to recreate'}.`;
        log.error({ lostRuns: activeRuns, repaired }, 'redis came back empty: state was lost');
        found.push(notice);
        found.splice(0, found.length - KEEP_NOTICES);
        activeRuns = await redis.smembers(k.activeRuns);
      } catch (err) {
        log.debug({ err }, 'redis loss check failed');
      } finally {
        checking = false;
      }
    },
    notices: () => [...found],
    stop() {
      clearInterval(timer);
      redis.off('ready', onReady);
    },
  };
  return watch;
}
