// Runs once before the suite: makes sure every test file sees a real Redis in REDIS_URL.
import { ensureRedis, type RedisHandle } from './redis-server.js';

let handle: RedisHandle | undefined;

export async function setup(): Promise<void> {
  handle = await ensureRedis();
  process.env.REDIS_URL = handle.url;
}

export async function teardown(): Promise<void> {
  await handle?.stop();
}
