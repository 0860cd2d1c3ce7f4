// Queue depth from the real services on this machine, and the above/for and rises_by rules.
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQueueMonitor, type QueueDeps } from '../../src/monitors/queue.js';
import { readDepth } from '../../src/monitors/sources/index.js';
import { closeAll, connect, freshPrefix, MemoryInbox, queue, sleep } from './helpers.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const MARIADB_URL = 'mysql://root@127.0.0.1:3306/test';
const env = (name: string) => ({ PG_URL, MARIADB_URL, MARIADB_ALIAS: MARIADB_URL.replace('mysql:', 'mariadb:'), BAD_PG: 'postgres://postgres:s3cr3t-pw@127.0.0.1:1/test' })[name];
const START = '(see "Known to work" in /work/.library/env/machines/node-svc.md for the start command)';

let pgClient: pg.Client;
let maria: mysql.Connection;
const table = `tzero_jobs_${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  // Loud, not skipped: these services are part of the test environment.
  pgClient = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await pgClient.connect().catch((err: Error) => { throw new Error(`PostgreSQL not reachable at 127.0.0.1:5432: ${err.message} ${START}`); });
  maria = await mysql.createConnection({ uri: MARIADB_URL, connectTimeout: 3000 }).catch((err: Error) => {
    throw new Error(`MariaDB not reachable at 127.0.0.1:3306: ${err.message} ${START}`);
  });
  await pgClient.query(`create table ${table} (id serial primary key, payload text)`);
  await maria.query(`create table ${table} (id int auto_increment primary key, payload text)`);
});
afterAll(async () => {
  await pgClient?.query(`drop table if exists ${table}`);
  await maria?.query(`drop table if exists ${table}`);
  await Promise.all([pgClient?.end(), maria?.end()]);
  await closeAll();
});

const deps = (): QueueDeps => ({ redis: connect(), keyPrefix: freshPrefix('queue'), inbox: new MemoryInbox(), env });
const sql = (url_env: string, query = `select count(*) from ${table}`) => ({ sql: { url_env, query } });

describe('queue sources (real services)', () => {
  it('counts waiting, delayed and active jobs of a real BullMQ queue under our prefix', async () => {
    const d = deps();
    const q = new Queue('laravel-like', { connection: d.redis, prefix: `${d.keyPrefix}-bull` });
    await q.addBulk([{ name: 'a', data: {} }, { name: 'b', data: {} }, { name: 'c', data: {}, opts: { delay: 60_000 } }]);
    expect(await readDepth(d, { bullmq: { queue: 'laravel-like' } })).toBe(3);
    expect(await readDepth(d, { bullmq: { queue: 'laravel-like', prefix: 'elsewhere' } })).toBe(0);
    await q.obliterate({ force: true });
    await q.close();
  });

  it('reads a Redis list length and a sorted-set size; a missing key is 0; a hash is an error', async () => {
    const d = deps();
    const key = `${d.keyPrefix}:queues:default`;
    await d.redis.rpush(key, 'j1', 'j2', 'j3', 'j4');
    await d.redis.zadd(`${key}:delayed`, 1, 'a', 2, 'b');
    await d.redis.hset(`${key}:hash`, 'f', 'v');
    expect(await readDepth(d, { redis: { key } })).toBe(4);
    expect(await readDepth(d, { redis: { key: `${key}:delayed` } })).toBe(2);
    expect(await readDepth(d, { redis: { key: `${key}:none` } })).toBe(0);
    await expect(readDepth(d, { redis: { key: `${key}:hash` } })).rejects.toThrow(`redis key ${key}:hash is a hash, not a list or sorted set`);
    const viaEnv = { ...d, env: (n: string) => (n === 'LARAVEL_REDIS_URL' ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : undefined) };
    expect(await readDepth(viaEnv, { redis: { key, url_env: 'LARAVEL_REDIS_URL' } })).toBe(4);
    await d.redis.del(key, `${key}:delayed`, `${key}:hash`);
  });

  it('counts rows of a PostgreSQL table and of a MariaDB table (mysql:// and mariadb://)', async () => {
    const d = deps();
    await pgClient.query(`insert into ${table} (payload) select 'x' from generate_series(1, 7)`);
    await maria.query(`insert into ${table} (payload) values ('x'), ('y'), ('z')`);
    expect(await readDepth(d, sql('PG_URL'))).toBe(7);
    expect(await readDepth(d, sql('MARIADB_URL'))).toBe(3);
    expect(await readDepth(d, sql('MARIADB_ALIAS', `with j as (select * from ${table}) select count(*) from j`))).toBe(3);
  });

  it('runs queries in a read-only session and wants exactly one numeric cell', async () => {
    const d = deps();
    // Passes the select/with check yet would write: the read-only session refuses it.
    const writing = `with gone as (delete from ${table} returning 1) select count(*) from gone`;
    await expect(readDepth(d, sql('PG_URL', writing))).rejects.toThrow(/read-only transaction/);
    await expect(readDepth(d, sql('PG_URL', `select id, payload from ${table}`))).rejects.toThrow('query must return one row with one column');
    await expect(readDepth(d, sql('MARIADB_URL', `select 'many'`))).rejects.toThrow('query result is not a number: "many"');
    expect((await pgClient.query(`select count(*) from ${table}`)).rows[0].count).not.toBe('0');
  });

  it('names the variable, never the URL or password, when a connection fails', async () => {
    const err = (await readDepth(deps(), sql('BAD_PG')).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^sql via \$BAD_PG: .*ECONNREFUSED/);
    expect(err.message).not.toContain('s3cr3t');
    await expect(readDepth(deps(), sql('UNSET'))).rejects.toThrow('environment variable UNSET is not set');
  });

  it('reads a number at a JSON path from an HTTP endpoint', async () => {
    const server = http.createServer((req, res) => res.end(JSON.stringify({ queue: { depth: req.url === '/str' ? '12' : 42 } })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const d = deps();
    expect(await readDepth(d, { http: { url: `${url}/stats`, path: 'queue.depth', timeout: 1000 } })).toBe(42);
    expect(await readDepth(d, { http: { url: `${url}/str`, path: '$.queue.depth', timeout: 1000 } })).toBe(12);
    await expect(readDepth(d, { http: { url, path: 'queue.size', timeout: 1000 } })).rejects.toThrow('stats endpoint: nothing at $.queue.size');
    server.close();
  });
});

describe('queue rules', () => {
  it('above + for: fires once after the depth stays above for `for`, resolves when it drops back', async () => {
    const d = deps();
    const key = `${d.keyPrefix}:list`;
    const monitor = queue({ id: 'laravel-redis', source: { redis: { key } }, above: 3, for: '300ms' });
    const inbox = d.inbox as MemoryInbox;
    await d.redis.rpush(key, 1, 2, 3, 4, 5);
    expect((await runQueueMonitor(d, monitor)).value).toBe(5);
    expect(inbox.events).toEqual([]); // above, but not yet for 300ms
    await d.redis.ltrim(key, 0, 1); // dips back: the clock restarts
    await runQueueMonitor(d, monitor);
    await d.redis.rpush(key, 3, 4, 5);
    await runQueueMonitor(d, monitor);
    await sleep(350);
    await runQueueMonitor(d, monitor);
    await runQueueMonitor(d, monitor);
    expect(inbox.kinds()).toEqual(['queue:laravel-redis firing']);
    expect(inbox.events[0]).toMatchObject({ source: 'queue', group: 'queue:laravel-redis', monitor: 'laravel-redis', value: 5, title: 'laravel-redis backed up: 5 > 3' });
    expect(inbox.events[0]!.details[0]).toMatch(/^above 3 for 3\d\dms/);
    await d.redis.ltrim(key, 0, 2);
    await runQueueMonitor(d, monitor);
    await runQueueMonitor(d, monitor);
    expect(inbox.kinds()).toEqual(['queue:laravel-redis firing', 'queue:laravel-redis resolved']);
    expect(inbox.events[1]).toMatchObject({ value: 3, title: 'laravel-redis back to 3 (≤ 3)' });
  });

  it('rises_by: each rise of a real failed_jobs table is a new firing event; resolved once back to the base', async () => {
    const d = deps();
    const failed = `tzero_failed_${randomUUID().slice(0, 8)}`;
    await pgClient.query(`create table ${failed} (id serial primary key)`);
    try {
      const monitor = queue({ id: 'failed-jobs', source: sql('PG_URL', `select count(*) from ${failed}`), rises_by: 1 });
      const inbox = d.inbox as MemoryInbox;
      await runQueueMonitor(d, monitor); // first reading: a baseline, no event
      await pgClient.query(`insert into ${failed} default values`);
      await runQueueMonitor(d, monitor);
      await runQueueMonitor(d, monitor); // unchanged: nothing new
      await pgClient.query(`insert into ${failed} default values; insert into ${failed} default values`);
      await runQueueMonitor(d, monitor);
      expect(inbox.events.map((e) => [e.status, e.value, e.title])).toEqual([
        ['firing', 1, 'failed-jobs rose to 1 (+1)'],
        ['firing', 3, 'failed-jobs rose to 3 (+2)'],
      ]);
      expect(new Set(inbox.events.map((e) => e.id)).size).toBe(2);
      await pgClient.query(`delete from ${failed}`);
      await runQueueMonitor(d, monitor);
      expect(inbox.events[2]).toMatchObject({ status: 'resolved', value: 0, fingerprint: 'queue:failed-jobs' });
      expect(JSON.stringify(inbox.events)).not.toContain('postgres://');
    } finally {
      await pgClient.query(`drop table ${failed}`);
    }
  });

  it('records a source that cannot be read without alerting', async () => {
    const d = deps();
    const result = await runQueueMonitor(d, queue({ id: 'q', source: sql('BAD_PG'), above: 1 }));
    expect(result.error).toMatch(/^sql via \$BAD_PG: /);
    expect(await d.redis.hget(`${d.keyPrefix}:monitor:queue:q`, 'lastError')).toBe(result.error);
    expect((d.inbox as MemoryInbox).events).toEqual([]);
  });
});
