// The one place tzero opens its Redis connection: REDIS_URL, or Redis Sentinel when
// REDIS_SENTINELS/REDIS_SENTINEL_NAME are set. BullMQ gets this client (its Worker duplicates it
// for the blocking connection, keeping the Sentinel options), so the bot and the queues follow
// a failover together.
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config.js';

export function connectRedis(config: Pick<Config, 'redisUrl' | 'redisSentinel'>, opts: RedisOptions = {}): Redis {
  const s = config.redisSentinel;
  if (!s) return new Redis(config.redisUrl, opts);
  // REDIS_URL still carries the nodes' credentials and database; its host is not used.
  const url = new URL(config.redisUrl);
  const db = Number(url.pathname.slice(1)) || 0;
  return new Redis({
    sentinels: s.sentinels,
    name: s.name,
    role: 'master',
    // Subscribe to +switch-master on the sentinels: drop the old primary at once instead of
    // waiting for its socket to fail (a demoted primary may keep connections open).
    failoverDetector: true,
    // A demoted primary answers READONLY to writes: reconnect (asks the sentinels again) and resend.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    db,
    ...opts,
  });
}
