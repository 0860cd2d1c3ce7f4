// Compare-and-set updates of a JSON document in Redis, keyed on its `version` field: safe across
// replicas and concurrent handlers on one connection (unlike WATCH/MULTI on a shared client).
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';

// KEYS[1] document, KEYS[2] optional once-marker; ARGV expected version, new JSON, marker TTL.
// The marker is written with the document, so an update applied "once per event" stays once
// even when the caller dies right after it and the event is delivered again.
const CAS = redisScript(`
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return -2 end
local cur = redis.call('GET', KEYS[1])
if not cur then
  if ARGV[1] ~= '0' then return -1 end
elseif tostring(cjson.decode(cur)['version']) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
if KEYS[2] then redis.call('SET', KEYS[2], '1', 'EX', ARGV[3]) end
return 1`);

export interface Versioned {
  version: number;
}

export interface CasResult<T> {
  doc: T | null;
  /** The once-marker existed: this update was applied before and was not applied again. */
  duplicate: boolean;
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
  return (await casUpdateOnce(redis, key, undefined, mutate, init)).doc;
}

/** Like casUpdate, but applied at most once per `once.marker` (kept `once.ttlSec` seconds). */
export async function casUpdateOnce<T extends Versioned>(
  redis: Redis,
  key: string,
  once: { marker: string; ttlSec: number } | undefined,
  mutate: (doc: T) => void | false,
  init?: () => T,
): Promise<CasResult<T>> {
  for (let i = 0; i < 50; i++) {
    const raw = await redis.get(key);
    const doc = raw ? (JSON.parse(raw) as T) : init ? { ...init(), version: 0 } : null;
    if (!doc) return { doc: null, duplicate: false };
    const before = doc.version;
    if (mutate(doc) === false) return { doc, duplicate: false };
    doc.version = before + 1;
    const keys = once ? [key, once.marker] : [key];
    const res = (await CAS.run(redis, keys, [String(before), JSON.stringify(doc), once?.ttlSec ?? 0])) as number;
    if (res === 1) return { doc, duplicate: false };
    if (res === -1) return { doc: null, duplicate: false };
    if (res === -2) return { doc: raw ? (JSON.parse(raw) as T) : null, duplicate: true };
  }
  throw new Error(`${key}: too many concurrent updates`);
}
