// Finds a real Redis for tests and the demo: REDIS_URL if set, else 127.0.0.1:6379 if something
// answers there, else a private `redis-server` on a free port (stopped by the returned function).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisHandle {
  url: string;
  /** The private server's data folder (its append-only file with `appendonly`). */
  dir?: string;
  stop(): Promise<void>;
}

export interface PrivateRedis extends RedisHandle {
  port: number;
  dir: string;
}

export interface PrivateRedisOptions {
  /** Listen here (to bring a stopped Redis back at the same address). Default: a free port. */
  port?: number;
  /** Keep data in this folder across stop/start (append-only file, fsync always); it is not removed. */
  persistDir?: string;
  /** Append-only file in a temporary folder (removed on stop), for tests that scan it. */
  appendonly?: boolean;
}

function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function ensureRedis(env: NodeJS.ProcessEnv = process.env): Promise<RedisHandle> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, stop: async () => {} };
  if (await canConnect(6379)) return { url: 'redis://127.0.0.1:6379', stop: async () => {} };
  return startPrivateRedis();
}

export async function startPrivateRedis(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  const dir = opts.persistDir ?? mkdtempSync(path.join(os.tmpdir(), 'tzero-redis-'));
  const persistence = opts.persistDir || opts.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir,
      '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) => reject(new Error(`cannot start redis-server (is it installed?): ${err.message}`))),
  );
  const deadline = Date.now() + 5000;
  while (!(await Promise.race([canConnect(port), spawnError]))) {
    if (Date.now() > deadline) throw new Error('redis-server did not start within 5s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!opts.persistDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
