// Compare-and-set updates of a JSON document in Redis, keyed on its `version` field: safe across
// replicas and concurrent handlers on one connection (unlike WATCH/MULTI on a shared client).
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';

const CAS = redisScript(`
local cur = redis.call('GET', KEYS[1])
if not cur then
  if ARGV[1] == '0' then redis.call('SET', KEYS[1], ARGV[2]) return 1 end
  return -1
end
local v = cjson.decode(cur)['version']
if tostring(v) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`);

export interface Versioned {
  version: number;
}

/**
 * Applies `mutate` atomically and returns the stored document. `mutate` may throw (nothing is
 * written) or return false (nothing is written). With `init`, a missing document is created.
 */
export async function casUpdate<T extends Versioned>(
  redis: Redis,
  key: string,
  mutate: (doc: T) => void | false,
  init?: () => T,
): Promise<T | null> {
  for (let i = 0; i < 50; i++) {
    const raw = await redis.get(key);
    const doc = raw ? (JSON.parse(raw) as T) : init ? { ...init(), version: 0 } : null;
    if (!doc) return null;
    const before = doc.version;
    if (mutate(doc) === false) return doc;
    doc.version = before + 1;
    const res = (await CAS.run(redis, [key], [String(before), JSON.stringify(doc)])) as number;
    if (res === 1) return doc;
    if (res === -1) return null;
  }
  throw new Error(`${key}: too many concurrent updates`);
}
