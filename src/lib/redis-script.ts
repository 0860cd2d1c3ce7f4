// A Lua script run by its SHA (EVALSHA), falling back to EVAL when Redis does not have it
// cached (first use, after a restart or SCRIPT FLUSH). Not ioredis' defineCommand: every
// command defined on a connection is copied onto each pipeline/multi built from it.
import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface RedisScript {
  readonly sha: string;
  run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown>;
}

export function redisScript(lua: string): RedisScript {
  const sha = hash('sha1', lua);
  return {
    sha,
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
        return redis.eval(lua, keys.length, ...keys, ...args);
      }
    },
  };
}
