// The durable inbox against the real Redis: dedup, order, consumer-group delivery, takeover of a
// dead consumer's entries.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisAlertInbox } from '../../src/alerts/inbox.js';
import type { AlertEvent } from '../../src/alerts/types.js';

const redis = new Redis(process.env.REDIS_URL!);
let inbox: RedisAlertInbox;
let prefix: string;

function event(id: string, over: Partial<AlertEvent> = {}): AlertEvent {
  return { id, source: 'sentry', fingerprint: `sentry:issue:${id}`, group: 'sentry:front-end:issues', status: 'firing', severity: 'critical', title: `error ${id}`, details: ['project front-end'], at: 1_700_000_000_000, ...over };
}

beforeEach(() => {
  prefix = `t${randomUUID().slice(0, 8)}`;
  inbox = new RedisAlertInbox(redis, prefix);
});
afterEach(() => inbox.close());
afterAll(() => redis.quit());

describe('RedisAlertInbox.accept', () => {
  it('appends an event once per id; a retry with the same id is refused', async () => {
    expect(await inbox.accept(event('a'))).toBe(true);
    expect(await inbox.accept(event('a', { title: 'changed' }))).toBe(false);
    expect(await inbox.accept(event('b'))).toBe(true);
    expect(await inbox.length()).toBe(2);
    const ttl = await redis.ttl(`${prefix}:alerts:seen:a`);
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
  });

  it('keeps the event whole and in arrival order', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `e${i}`);
    for (const id of ids) await inbox.accept(event(id, { details: ['Ошибка: naïve café 🚨'], url: 'https://sentry.io/x' }));
    const got = await inbox.readBatch('c1', 100, 0);
    expect(got.map((e) => e.event.id)).toEqual(ids);
    expect(got[0]!.event).toEqual(event('e0', { details: ['Ошибка: naïve café 🚨'], url: 'https://sentry.io/x' }));
  });

  it('accepts issued together (one Redis pipeline) keep call order and dedup within the batch', async () => {
    const ids = ['p0', 'p1', 'p0', 'p2', 'p1', 'p3'];
    const results = await Promise.all(ids.map((id) => inbox.accept(event(id))));
    expect(results).toEqual([true, true, false, true, false, true]);
    const got = await inbox.readBatch('c1', 100, 0);
    expect(got.map((e) => e.event.id)).toEqual(['p0', 'p1', 'p2', 'p3']);
  });

  it('still stores when Redis lost its script cache (a restart): EVALSHA falls back to EVAL', async () => {
    await redis.script('FLUSH');
    expect(await Promise.all([inbox.accept(event('s0')), inbox.accept(event('s1')), inbox.accept(event('s0'))])).toEqual([true, true, false]);
    expect(await inbox.length()).toBe(2);
  });

  it('dedups concurrent accepts of the same id (one winner)', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => inbox.accept(event('same'))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await inbox.length()).toBe(1);
  });
});

describe('RedisAlertInbox consumer group', () => {
  it('delivers events accepted before the group existed, and each entry once to one consumer', async () => {
    for (let i = 0; i < 10; i++) await inbox.accept(event(`x${i}`));
    const a = await inbox.readBatch('a', 4, 0);
    const b = await inbox.readBatch('b', 100, 0);
    expect(a).toHaveLength(4);
    expect(b).toHaveLength(6);
    const all = [...a, ...b].map((e) => e.event.id);
    expect(new Set(all).size).toBe(10);
    expect(await inbox.readBatch('a', 100, 0)).toEqual([]);
  });

  it('a blocked read wakes up for a new event and does not hold up other commands', async () => {
    const reading = inbox.readBatch('a', 10, 2000);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    expect(await inbox.accept(event('late'))).toBe(true);
    const got = await reading;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(got.map((e) => e.event.id)).toEqual(['late']);
  });

  it('acked entries are not pending; a dead consumer\'s unacked entries are claimed by another', async () => {
    for (let i = 0; i < 5; i++) await inbox.accept(event(`p${i}`));
    const dead = await inbox.readBatch('dead', 5, 0);
    await inbox.ack([dead[0]!.id, dead[1]!.id]);
    expect(await inbox.pendingCount()).toBe(3);
    // Not idle long enough yet: nothing to take.
    expect(await inbox.claimStale('alive', 60_000)).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    const claimed = await inbox.claimStale('alive', 100);
    expect(claimed.map((e) => e.event.id)).toEqual(['p2', 'p3', 'p4']);
    // Now they are alive's: claiming again right away finds nothing idle.
    expect(await inbox.claimStale('other', 100)).toEqual([]);
    await inbox.ack(claimed.map((e) => e.id));
    expect(await inbox.pendingCount()).toBe(0);
  });

  it('a consumer in another process that was kill -9ed loses nothing', async () => {
    // A separate connection stands in for the crashed process: it reads, then its socket dies.
    const other = new Redis(process.env.REDIS_URL!);
    const crashed = new RedisAlertInbox(other, prefix);
    for (let i = 0; i < 3; i++) await inbox.accept(event(`k${i}`));
    expect(await crashed.readBatch('crashed', 10, 0)).toHaveLength(3);
    other.disconnect();
    await new Promise((r) => setTimeout(r, 60));
    const taken = await inbox.claimStale('survivor', 50);
    expect(taken.map((e) => e.event.id)).toEqual(['k0', 'k1', 'k2']);
  });
});
