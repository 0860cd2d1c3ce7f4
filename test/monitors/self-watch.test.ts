import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/engine/keys.js';
import { STEP_QUEUE } from '../../src/jobs/step-queue.js';
import { createSelfWatch } from '../../src/monitors/self-watch.js';
import { selfMonitors } from '../../src/monitors/self-watch.js';
import { freePort } from '../support/redis-server.js';
import { closeAll, connect, freshPrefix, MemoryInbox, queue, sleep, waitFor } from './helpers.js';

afterAll(closeAll);

describe('self-watch', () => {
  it('fires self:workers once when the heartbeat goes stale and resolves when it is fresh again; readiness follows', async () => {
    const redis = connect();
    const keyPrefix = freshPrefix('self');
    const inbox = new MemoryInbox();
    const watch = createSelfWatch({ redis, keyPrefix, inbox, staleAfterMs: 400 });
    await redis.set(keys(keyPrefix).heartbeat, String(Date.now()));
    expect((await watch.checkWorkers()).stale).toBe(false);
    expect(await watch.readiness()).toEqual([]);

    await sleep(500); // nobody writes the heartbeat: the step workers "stopped"
    expect((await watch.checkWorkers()).stale).toBe(true);
    await watch.checkWorkers();
    expect(inbox.kinds()).toEqual(['self:workers firing']);
    expect(inbox.events[0]).toMatchObject({ source: 'self', group: 'self:workers', severity: 'critical', title: 'tzero step workers are not processing' });
    expect(inbox.events[0]!.details[0]).toMatch(/^last heartbeat \d+ms ago/);
    expect(await watch.readiness()).toEqual([expect.stringMatching(/^step workers not processing: last heartbeat \d+ms ago$/)]);

    await redis.set(keys(keyPrefix).heartbeat, String(Date.now()));
    await watch.checkWorkers();
    expect(inbox.kinds()).toEqual(['self:workers firing', 'self:workers resolved']);
    expect(await watch.readiness()).toEqual([]);
  });

  it('counts a real connection reconnecting: 5 in the window → self:redis firing (readiness stays green for one outage); calm → resolved', async () => {
    const inbox = new MemoryInbox();
    const watch = createSelfWatch({ redis: connect(), keyPrefix: freshPrefix('storm'), inbox, storm: { count: 5, windowMs: 800 } });
    // Nothing listens on this port: ioredis retries every 20 ms, each retry a `reconnecting` event.
    const flaky = new Redis({ port: await freePort(), host: '127.0.0.1', retryStrategy: () => 20, lazyConnect: true, maxRetriesPerRequest: 0 });
    flaky.on('error', () => {});
    watch.watchConnection(flaky);
    expect((await watch.checkRedis()).storm).toBe(false);
    void flaky.connect().catch(() => {});
    await waitFor(async () => (await watch.checkRedis()).storm, 3000, 'storm');
    expect(inbox.kinds()).toEqual(['self:redis firing']);
    expect(inbox.events[0]!.details[0]).toMatch(/^\d+ reconnects in the last 800ms$/);
    // One outage, however many attempts, does not hold readiness once Redis is back.
    expect(await watch.readiness()).toEqual([]);
    flaky.disconnect();
    await waitFor(async () => !(await watch.checkRedis()).storm, 3000, 'calm');
    expect(inbox.kinds()).toEqual(['self:redis firing', 'self:redis resolved']);
  });

  it('turns readiness red when a connection keeps dropping after it was up (a flapping Redis), not for one outage', async () => {
    const keyPrefix = freshPrefix('flap');
    const redis = connect();
    await redis.set(keys(keyPrefix).heartbeat, String(Date.now()));
    const watch = createSelfWatch({ redis, keyPrefix, inbox: new MemoryInbox(), storm: { count: 3, windowMs: 60_000 } });
    const flapping = new Redis(process.env.REDIS_URL!, { retryStrategy: () => 10 });
    flapping.on('error', () => {});
    watch.watchConnection(flapping);
    for (let i = 0; i < 3; i++) {
      await once(flapping, 'ready');
      const id = await flapping.client('ID');
      await redis.client('KILL', 'ID', String(id)); // Redis drops the connection; it reconnects
      if (i < 2) expect(await watch.readiness()).toEqual([]);
    }
    await waitFor(async () => (await watch.readiness()).length > 0, 3000, 'storm');
    expect(await watch.readiness()).toEqual(['redis reconnect storm: 3 reconnects in the last 1m']);
    flapping.disconnect();
  });

  it('reports the step queue backing up (from the built-in monitor state) in readiness', async () => {
    const redis = connect();
    const keyPrefix = freshPrefix('backlog');
    await redis.set(keys(keyPrefix).heartbeat, String(Date.now()));
    await redis.hset(`${keyPrefix}:monitor:queue:${STEP_QUEUE}`, 'firing', 1, 'value', 31);
    const watch = createSelfWatch({ redis, keyPrefix, inbox: new MemoryInbox() });
    expect(await watch.readiness()).toEqual(['step queue backing up: 31 jobs']);
  });

  it('adds the tzero-steps monitor (above 20 for 1m) unless the file declares one', () => {
    const added = selfMonitors({ health: [], queues: [] }).queues;
    expect(added).toEqual([expect.objectContaining({ id: 'tzero-steps', source: { bullmq: { queue: 'tzero-steps' } }, above: 20, for: 60_000 })]);
    const own = queue({ id: 'tzero-steps', source: { bullmq: { queue: 'tzero-steps' } }, above: 5 });
    expect(selfMonitors({ health: [], queues: [own] }).queues).toEqual([own]);
  });
});
