// GET /healthz: the process is up. GET /readyz: Redis answers AND the step queue is being
// consumed — a heartbeat job went through a worker recently (a PING alone misses workers that
// silently stopped consuming after a Redis outage, bullmq#4479).
import type { CustomRoute } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { ServerResponse } from 'node:http';

export const HEARTBEAT_EVERY_MS = 2000;
const STALE_AFTER_MS = 10_000;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function healthRoutes(
  redis: Redis, heartbeatKey: string, workerRunning: () => boolean, selfProblems: () => Promise<string[]> = async () => [],
  /** What a Redis that came back empty lost (src/redis-loss.ts): shown, not a reason to be unready. */
  lost: () => string[] = () => [],
): CustomRoute[] {
  // A heartbeat from before Redis went away proves nothing about consumption since it came back.
  let connectedAt = 0;
  redis.on('ready', () => (connectedAt = Date.now()));
  return [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => reply(res, 200, { ok: true }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        const problems: string[] = [];
        let last = 0;
        try {
          await Promise.race([redis.ping(), new Promise((_, r) => setTimeout(() => r(new Error('timeout')), 1000))]);
          last = Number(await redis.get(heartbeatKey)) || 0;
        } catch {
          problems.push('redis unreachable');
        }
        if (!workerRunning()) problems.push('step worker not running');
        else if (!problems.length && (Date.now() - last > STALE_AFTER_MS || last < connectedAt)) problems.push('step queue not being consumed');
        if (!problems.length) problems.push(...(await selfProblems()));
        const notices = lost();
        reply(res, problems.length ? 503 : 200, { ok: !problems.length, problems, lastHeartbeat: last || null, ...(notices.length && { lost: notices }) });
      },
    },
  ];
}
