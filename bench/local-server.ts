// One loopback HTTP server for the bench: a response_url sink (POST /r/<id>, kept until read)
// (ids starting with drop- are not kept) and an always-200 target for http.check steps (GET /ok).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  url: string;
  responseUrl(id: string): string;
  /** The body tzero posted to response_url `id`, waiting up to timeoutMs. */
  reply(id: string, timeoutMs: number): Promise<string>;
  received(): number;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  const replies = new Map<string, string>();
  const waiters = new Map<string, (body: string) => void>();
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'POST' && path.startsWith('/r/')) {
        const id = path.slice(3);
        const body = Buffer.concat(chunks).toString('utf8');
        count += 1;
        const w = waiters.get(id);
        if (w) {
          waiters.delete(id);
          w(body);
        } else if (!id.startsWith('drop-')) replies.set(id, body);
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    responseUrl: (id) => `${url}/r/${id}`,
    received: () => count,
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
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
