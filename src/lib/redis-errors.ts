// Recognises "Redis is not answering" among the errors ioredis raises, so the Slack edge can say
// so plainly instead of "something went wrong".
export class RedisUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('Redis is unreachable', { cause });
    this.name = 'RedisUnavailableError';
  }
}

const PATTERNS = [
  /enableOfflineQueue/, // not connected, and the edge connection queues nothing
  /Connection is closed/,
  /Command timed out/,
  /max retries per request/i,
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/,
  /LOADING /, // Redis is loading its data set after a restart
];

export function isRedisUnavailable(err: unknown): boolean {
  if (err instanceof RedisUnavailableError) return true;
  const e = err as { name?: string; message?: string } | undefined;
  if (!e || typeof e.message !== 'string') return false;
  return e.name === 'MaxRetriesPerRequestError' || PATTERNS.some((p) => p.test(e.message!));
}
