// A real Redis Sentinel setup for failover tests: a primary, one replica and three sentinels,
// each a `redis-server` process (sentinels with --sentinel) on free ports in temp dirs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './redis-server.js';

export const SENTINEL_MASTER = 'tzero';

export interface SentinelCluster {
  /** `host:port,host:port,host:port` for REDIS_SENTINELS. */
  sentinels: string;
  name: string;
  /** The port the sentinels currently name as primary. */
  primaryPort(): Promise<number>;
  /** SIGKILLs the current primary; resolves when the sentinels name another (the failover done). */
  killPrimary(timeoutMs?: number): Promise<{ from: number; to: number }>;
  /** Restarts killed nodes as replicas of the current primary; resolves when synced and seen by the sentinels. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`sentinel cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startSentinelCluster(): Promise<SentinelCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-sentinel-'));
  const procs = new Map<number, ChildProcess>();
  const start = (port: number, args: string[]) => {
    const p = spawn('redis-server', args, { stdio: 'ignore' });
    p.once('error', () => undefined); // reported by the readiness wait below
    procs.set(port, p);
  };
  const ping = async (port: number) => {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } finally {
      c.disconnect();
    }
  };
  const linkUp = async (port: number) => {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return /master_link_status:up/.test(await c.info('replication'));
    } finally {
      c.disconnect();
    }
  };
  const node = (port: number, extra: string[] = []) => {
    const d = path.join(dir, String(port));
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
    // No diskless-sync delay: Redis 7 otherwise waits 5 s before the replica's first full sync,
    // and a failover before it would promote an empty replica.
    return ['--port', String(port), '--bind', '127.0.0.1', '--dir', `${d}`, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--repl-diskless-sync-delay', '0', ...extra];
  };

  const primary = await freePort();
  const replica = await freePort();
  start(primary, node(primary));
  await until(() => ping(primary), 5000, 'primary');
  start(replica, node(replica, ['--replicaof', '127.0.0.1', String(primary)]));
  await until(() => ping(replica), 5000, 'replica');
  await until(() => linkUp(replica), 10_000, 'the replica to finish its first sync');
  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = path.join(dir, `sentinel-${port}.conf`); // sentinels rewrite their config: a file of their own
    writeFileSync(conf, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
      `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${primary} 2`,
      `sentinel down-after-milliseconds ${SENTINEL_MASTER} 1000`,
      `sentinel failover-timeout ${SENTINEL_MASTER} 5000`,
      `sentinel parallel-syncs ${SENTINEL_MASTER} 1`, '',
    ].join('\n'));
    start(port, [conf, '--sentinel']);
    sentinelPorts.push(port);
  }
  const ask = async (port: number) => {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      const [, p] = (await c.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_MASTER)) as [string, string];
      const replicas = (await c.call('SENTINEL', 'replicas', SENTINEL_MASTER)) as unknown[];
      const sentinels = (await c.call('SENTINEL', 'sentinels', SENTINEL_MASTER)) as unknown[];
      return { primary: Number(p), replicas: replicas.length, sentinels: sentinels.length };
    } finally {
      c.disconnect();
    }
  };
  // Ready when every sentinel knows the primary, its replica and the two other sentinels.
  for (const port of sentinelPorts) {
    await until(async () => { const s = await ask(port); return s.primary === primary && s.replicas === 1 && s.sentinels === 2; }, 20_000, `sentinel ${port} to see the setup`);
  }

  const dead = new Set<number>();
  const primaryPort = async () => (await until(() => ask(sentinelPorts[0]!), 5000, 'a sentinel answer')).primary;
  return {
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    name: SENTINEL_MASTER,
    primaryPort,
    async killPrimary(timeoutMs = 30_000) {
      const from = await primaryPort();
      const proc = procs.get(from)!;
      proc.kill('SIGKILL');
      await new Promise((r) => (proc.exitCode === null && proc.signalCode === null ? proc.once('exit', r) : r(null)));
      const to = await until(async () => { const p = await primaryPort(); return p !== from ? p : null; }, timeoutMs, 'the sentinels to promote the replica');
      dead.add(from);
      return { from, to };
    },
    async restore() {
      const primary = await primaryPort();
      for (const port of dead) {
        start(port, node(port, ['--replicaof', '127.0.0.1', String(primary)]));
        await until(() => linkUp(port), 15_000, `node ${port} to sync as a replica`);
      }
      dead.clear();
      const healthy = async (sentinel: number) => {
        const c = new Redis({ port: sentinel, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
        c.on('error', () => undefined);
        try {
          await c.connect();
          const replicas = (await c.call('SENTINEL', 'replicas', SENTINEL_MASTER)) as string[][];
          return replicas.some((r) => { const flags = r[r.indexOf('flags') + 1] ?? ''; return flags === 'slave'; });
        } finally {
          c.disconnect();
        }
      };
      for (const port of sentinelPorts) await until(() => healthy(port), 20_000, `sentinel ${port} to see the restored replica`);
    },
    async stop() {
      for (const p of procs.values()) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      await Promise.all([...procs.values()].map((p) => new Promise((r) => (p.exitCode === null && p.signalCode === null ? p.once('exit', r) : r(null)))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
