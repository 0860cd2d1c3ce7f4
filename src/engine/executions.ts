// Which step executions are alive, so a job delivered again is not mistaken for a crash. BullMQ
// re-delivers a job whose lock lapsed, which also happens when the process running it was only
// cut off from Redis for a while: that step is still running, and its result will be written
// when Redis is back. Alive = running in this process, or holding a lease in Redis that its
// process renews every second.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

const RENEW_MS = 1000;
export const LEASE_MS = 3000;

export class Executions {
  private readonly owner = randomUUID();
  private readonly local = new Set<string>();

  constructor(private readonly redis: Redis, private readonly k: Keys) {}

  /** Marks an execution alive until the returned function is called. */
  begin(runId: string, stepId: string, attempt: number): () => void {
    const key = this.k.execution(runId, stepId, attempt);
    this.local.add(key);
    const renew = () => void this.redis.set(key, this.owner, 'PX', LEASE_MS).catch(() => undefined);
    renew();
    const timer = setInterval(renew, RENEW_MS);
    return () => {
      clearInterval(timer);
      this.local.delete(key);
      void this.redis.del(key).catch(() => undefined);
    };
  }

  /**
   * Is this execution still running somewhere? Waits up to one lease for a process that was cut
   * off from Redis to renew its lease; a process that died never does.
   */
  async alive(runId: string, stepId: string, attempt: number, settled: () => Promise<boolean>): Promise<'alive' | 'settled' | 'gone'> {
    const key = this.k.execution(runId, stepId, attempt);
    const deadline = Date.now() + LEASE_MS;
    for (;;) {
      if (this.local.has(key) || (await this.redis.exists(key))) return 'alive';
      if (await settled()) return 'settled'; // its owner wrote the outcome meanwhile
      if (Date.now() > deadline) return 'gone';
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
