// Schedules on BullMQ job schedulers: once per interval across replicas, and after a restart.
import { afterAll, describe, expect, it } from 'vitest';
import type { Monitors } from '../../src/monitors/load.js';
import { createMonitorScheduler, type MonitorScheduler } from '../../src/monitors/scheduler.js';
import { createSelfWatch } from '../../src/monitors/self-watch.js';
import { startSite } from '../../targets/site.js';
import { closeAll, connect, freshPrefix, health, MemoryInbox, queue, sleep, waitFor } from './helpers.js';

afterAll(closeAll);

const EVERY_MS = 250;

function replica(keyPrefix: string, monitors: Monitors, inbox = new MemoryInbox()): MonitorScheduler {
  // Each replica has its own connection, as two processes would.
  return createMonitorScheduler({ connection: connect(), keyPrefix, monitors, inbox, env: () => undefined });
}

describe('monitor scheduler', () => {
  it('runs each probe once per interval with two replicas on one Redis (N runs, not 2N)', async () => {
    const site = await startSite({ name: 'new-site' });
    const keyPrefix = freshPrefix('sched');
    const monitors: Monitors = { health: [health({ id: 'site', url: `${site.url}/robots.txt`, every: `${EVERY_MS}ms`, timeout: '1s' })], queues: [] };
    const a = replica(keyPrefix, monitors);
    const b = replica(keyPrefix, monitors);
    await Promise.all([a.start(), b.start()]);
    const hits = () => site.counts()['GET /robots.txt'] ?? 0;
    await waitFor(() => hits() >= 1, 3000, 'first probe');
    const from = hits();
    const started = Date.now();
    await sleep(12 * EVERY_MS);
    const intervals = (Date.now() - started) / EVERY_MS;
    const runs = hits() - from;
    // Two replicas each running every interval would give ~24; one run per interval gives ~12.
    expect(runs).toBeGreaterThanOrEqual(Math.floor(intervals) - 2);
    expect(runs).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    await Promise.all([a.stop(), b.stop()]);
    await site.close();
  });

  it('keeps running after a restart, and a restart with fewer monitors removes the old schedule', async () => {
    const site = await startSite({ name: 'new-site' });
    const keyPrefix = freshPrefix('restart');
    const key = `${keyPrefix}:jobs`;
    const both: Monitors = {
      health: [health({ id: 'site', url: `${site.url}/robots.txt`, every: `${EVERY_MS}ms`, timeout: '1s', down_after: 2 })],
      queues: [queue({ id: 'jobs', source: { redis: { key } }, above: 1, every: `${EVERY_MS}ms` })],
    };
    const inbox = new MemoryInbox();
    const first = replica(keyPrefix, both, inbox);
    await first.start();
    expect(await first.schedulerIds()).toEqual(['health-site', 'queue-jobs']);
    site.setFail(true);
    await waitFor(() => inbox.events.length === 1, 3000, 'down');
    await first.stop();

    // A new process on the same Redis: the failure count and the "down" flag carry over.
    const second = replica(keyPrefix, both, inbox);
    await second.start();
    site.setFail(false);
    await waitFor(() => inbox.events.length === 2, 3000, 'recovery');
    expect(inbox.kinds()).toEqual(['health:site firing', 'health:site resolved']);
    const connection = connect();
    await connection.rpush(key, 1, 2, 3);
    await waitFor(() => inbox.events.length === 3, 3000, 'queue alert');
    expect(inbox.events[2]).toMatchObject({ fingerprint: 'queue:jobs', value: 3 });
    await second.stop();

    const third = replica(keyPrefix, { health: [], queues: both.queues });
    await third.start();
    expect(await third.schedulerIds()).toEqual(['queue-jobs']);
    const hits = site.counts()['GET /robots.txt'];
    await sleep(4 * EVERY_MS);
    expect(site.counts()['GET /robots.txt']).toBe(hits);
    await third.stop();
    await site.close();
  });

  it('schedules a cron pattern (every second, with node-cron seconds syntax)', async () => {
    const site = await startSite({ name: 'new-site' });
    const monitors: Monitors = { health: [health({ id: 'site', url: `${site.url}/robots.txt`, cron: '* * * * * *', timeout: '1s' })], queues: [] };
    const s = replica(freshPrefix('cron'), monitors);
    await s.start();
    await waitFor(() => (site.counts()['GET /robots.txt'] ?? 0) >= 2, 4000, 'two cron runs');
    await s.stop();
    await site.close();
  });

  it('with self-watch, schedules the built-in step-queue monitor and the heartbeat check', async () => {
    const keyPrefix = freshPrefix('selfsched');
    const connection = connect();
    const inbox = new MemoryInbox();
    const selfWatch = createSelfWatch({ redis: connection, keyPrefix, inbox, staleAfterMs: 100 });
    const s = createMonitorScheduler({ connection, keyPrefix, monitors: { health: [], queues: [] }, inbox, env: () => undefined, selfWatch });
    await s.start();
    expect(await s.schedulerIds()).toEqual(['queue-tzero-steps', 'self-workers']);
    await s.stop();
  });
});
