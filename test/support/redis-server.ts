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

export async function startPrivateRedis(options: { appendonly?: boolean } = {}): Promise<RedisHandle> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', options.appendonly ? 'yes' : 'no', '--dir', dir,
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
    dir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
