// Shared by the monitor tests: real Redis connections on a fresh prefix, and an AlertInbox that
// records what it is given (the real one, src/alerts/inbox.ts, is tested on its own).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { AlertEvent, AlertInbox } from '../../src/alerts/types.js';
import { HealthMonitor, QueueMonitor } from '../../src/monitors/schema.js';

export const freshPrefix = (what: string) => `tzt-mon-${what}-${randomUUID().slice(0, 8)}`;

/** A connection the way BullMQ workers need it; closed by `closeAll`. */
const opened: Redis[] = [];
export function connect(): Redis {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  opened.push(redis);
  return redis;
}
export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((r) => r.quit().catch(() => r.disconnect())));
}

/** Records accepted events; like the real inbox it refuses an id it has seen. */
export class MemoryInbox implements AlertInbox {
  readonly events: AlertEvent[] = [];
  failNext = 0;
  async accept(event: AlertEvent): Promise<boolean> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('inbox unavailable');
    }
    if (this.events.some((e) => e.id === event.id)) return false;
    this.events.push(event);
    return true;
  }
  kinds(): string[] {
    return this.events.map((e) => `${e.fingerprint} ${e.status}`);
  }
}

export const health = (input: Record<string, unknown>) => HealthMonitor.parse(input);
export const queue = (input: Record<string, unknown>) => QueueMonitor.parse(input);

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
