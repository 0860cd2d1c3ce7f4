// The bench's loopback HTTP server (bench/sink-process.ts, in its own process): a response_url
// sink (POST /r/<id>, kept until read; ids starting with drop- are only counted) and an
// always-200 target for http.check steps (GET /ok). Its own process, so receiving tzero's
// replies does not take CPU from the load generator.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SinkMessage } from './sink-process.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface LocalServer {
  url: string;
  pid: number;
  responseUrl(id: string): string;
  /** The body tzero posted to response_url `id`, waiting up to timeoutMs. */
  reply(id: string, timeoutMs: number): Promise<string>;
  /** How many POSTs to response_url the sink has received (drop- ones included). */
  received(): Promise<number>;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  const child = fork(path.join(HERE, 'sink-process.ts'), [], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies = new Map<string, string>();
  const waiters = new Map<string, (body: string) => void>();
  const counts = new Map<number, (n: number) => void>();
  let seq = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench sink exited (${code})`)));
    child.on('message', (m: SinkMessage) => {
      if (m.type === 'ready') resolve(m.url);
      else if (m.type === 'reply') {
        const w = waiters.get(m.id);
        if (w) {
          waiters.delete(m.id);
          w(m.body);
        } else replies.set(m.id, m.body);
      } else if (m.type === 'count') {
        counts.get(m.seq)?.(m.n);
        counts.delete(m.seq);
      }
    });
  });
  return {
    url,
    pid: child.pid!,
    responseUrl: (id) => `${url}/r/${id}`,
    received: () => new Promise((resolve) => {
      const s = ++seq;
      counts.set(s, resolve);
      child.send({ type: 'count', seq: s });
    }),
    reply(id, timeoutMs) {
      const have = replies.get(id);
      if (have !== undefined) {
        replies.delete(id);
        return Promise.resolve(have);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(id);
          reject(new Error(`no response_url reply for ${id} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(id, (body) => {
          clearTimeout(timer);
          resolve(body);
        });
      });
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
