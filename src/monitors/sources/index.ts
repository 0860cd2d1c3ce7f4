// Queue depth sources, one file per kind; this table is the only place that lists them.
import type { Redis } from 'ioredis';
import type { EnvLookup } from '../load.js';
import type { QueueSource } from '../schema.js';
import { displayUrl } from '../state.js';
import { readBullmqDepth } from './bullmq.js';
import { readHttpDepth } from './http.js';
import { readRedisDepth } from './redis.js';
import { readSqlDepth } from './sql.js';

export interface SourceDeps {
  /** tzero's own Redis: BullMQ sources and Redis sources without url_env read it. */
  redis: Redis;
  keyPrefix: string;
  /** Where url_env names are looked up (config.secretEnv in production). */
  env: EnvLookup;
}

export async function readDepth(deps: SourceDeps, source: QueueSource): Promise<number> {
  if (source.sql) return readSqlDepth(source.sql, deps.env);
  if (source.bullmq) return readBullmqDepth(source.bullmq, deps.redis, deps.keyPrefix);
  if (source.redis) return readRedisDepth(source.redis, deps.redis, deps.env);
  if (source.http) return readHttpDepth(source.http, deps.env);
  throw new Error('queue source has no kind');
}

/** How a source is named in alerts: never a connection URL, only the variable that holds it. */
export function describeSource(source: QueueSource): string {
  if (source.sql) return `sql via $${source.sql.url_env}`;
  if (source.bullmq) return `bullmq queue ${source.bullmq.queue}`;
  if (source.redis) return `redis key ${source.redis.key}${source.redis.url_env ? ` via $${source.redis.url_env}` : ''}`;
  if (source.http) return `http ${source.http.url ? displayUrl(source.http.url) : `via $${source.http.url_env}`} ${source.http.path}`;
  return 'unknown';
}
