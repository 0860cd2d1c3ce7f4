// Depth of a BullMQ queue: jobs not yet done (waiting, prioritized, active, delayed), under our
// prefix unless the monitor names another (a queue of another app on the same Redis).
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BullmqSource } from '../schema.js';

export async function readBullmqDepth(source: BullmqSource, redis: Redis, keyPrefix: string): Promise<number> {
  // A Queue on a shared connection costs no new socket and close() leaves the connection open.
  const queue = new Queue(source.queue, { connection: redis, prefix: source.prefix ?? `${keyPrefix}-bull` });
  try {
    const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}
