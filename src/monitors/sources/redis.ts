// Depth of a Redis key: list length or sorted-set size (Laravel's redis queue keeps jobs in the
// list `queues:<name>` and delayed/reserved ones in zsets). A missing key is an empty queue.
import { Redis } from 'ioredis';
import type { EnvLookup } from '../load.js';
import type { RedisSource } from '../schema.js';
import { redactError, urlFrom } from './common.js';

export async function readRedisDepth(source: RedisSource, own: Redis, env: EnvLookup): Promise<number> {
  if (!source.url_env) return depthOf(own, source.key);
  const url = urlFrom(env, source.url_env);
  // A short-lived connection per reading: readings are seconds apart and this never retries forever.
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on('error', () => {}); // reported through the failed command below
  try {
    await client.connect();
    return await depthOf(client, source.key);
  } catch (err) {
    throw new Error(`redis via $${source.url_env}: ${redactError(err, url)}`);
  } finally {
    client.disconnect();
  }
}

async function depthOf(redis: Redis, key: string): Promise<number> {
  const type = await redis.type(key);
  if (type === 'none') return 0;
  if (type === 'list') return redis.llen(key);
  if (type === 'zset') return redis.zcard(key);
  throw new Error(`redis key ${key} is a ${type}, not a list or sorted set`);
}
