// Reads every key matching a pattern, whatever its type, and says where a needle occurs: the
// way an attacker with a Redis dump (or its AOF) would look for a secret.
import type { Redis } from 'ioredis';

export interface Hit {
  key: string;
  type: string;
  excerpt: string;
}

async function valuesOf(redis: Redis, key: string, type: string): Promise<string[]> {
  switch (type) {
    case 'string':
      return [(await redis.getBuffer(key))?.toString('utf8') ?? ''];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'stream':
      return (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    default:
      return [`<unreadable type ${type}>`];
  }
}

/** Every occurrence of any needle (case-insensitive) in keys or values matching `pattern`. */
export async function scanRedis(redis: Redis, pattern: string, needles: string[]): Promise<{ keys: number; hits: Hit[] }> {
  const hits: Hit[] = [];
  let keys = 0;
  const lowered = needles.map((n) => n.toLowerCase());
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of batch) {
      keys++;
      const type = await redis.type(key);
      for (const text of [key, ...(await valuesOf(redis, key, type))]) {
        const low = text.toLowerCase();
        for (const n of lowered) {
          const at = low.indexOf(n);
          if (at >= 0) hits.push({ key, type, excerpt: text.slice(Math.max(0, at - 60), at + n.length + 60) });
        }
      }
    }
  } while (cursor !== '0');
  return { keys, hits };
}
