// Alert groups count each event once, even when the relay gets it again after a crash.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { AlertGroups } from '../../src/alerts/groups.js';
import type { AlertEvent } from '../../src/alerts/types.js';

const redis = new Redis(process.env.REDIS_URL!);
afterAll(() => redis.disconnect());

const event = (id: string, status: AlertEvent['status'] = 'firing'): AlertEvent => ({
  id, source: 'sentry', fingerprint: 'sentry:issue:1', group: 'sentry:front-end:issues', status, severity: 'critical', title: 'TypeError', details: [], at: 0,
});

it('counts a redelivered event once and reports firing and resolved transitions', async () => {
  const groups = new AlertGroups(redis, `t${randomUUID().slice(0, 8)}`);
  expect((await groups.add(event('a'), 1000)).transition).toBe('fired');
  expect((await groups.add(event('a'), 1100)).transition).toBeNull(); // the same event again
  await groups.add(event('b'), 1200);
  const resolved = await groups.add(event('c', 'resolved'), 5000);
  expect(resolved.transition).toBe('resolved');
  expect(resolved.group).toMatchObject({ count: 3, status: 'resolved', firingSince: 1000, resolvedAt: 5000 });
  expect(await groups.firing()).toEqual([]);
});
