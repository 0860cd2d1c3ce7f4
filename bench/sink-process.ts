// The bench's loopback HTTP server, run as its own process by bench/local-server.ts so that
// tzero's replies on response_url are not received on the load generator's CPU (bare Bolt never
// replies, so a sink in the generator slowed only tzero's requests). Serves the response_url
// sink (POST /r/<id>; ids starting with drop- are only counted, others sent to the parent over
// IPC) and an always-200 target for http.check steps (GET /ok).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SinkMessage =
  | { type: 'ready'; url: string }
  | { type: 'reply'; id: string; body: string }
  | { type: 'count'; seq: number; n: number };
export type SinkRequest = { type: 'count'; seq: number };

const send = (m: SinkMessage) => process.send!(m);
let count = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    if (req.method === 'POST' && path.startsWith('/r/')) {
      const id = path.slice(3);
      count += 1;
      if (!id.startsWith('drop-')) send({ type: 'reply', id, body: Buffer.concat(chunks).toString('utf8') });
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
process.on('message', (m: SinkRequest) => {
  if (m.type === 'count') send({ type: 'count', seq: m.seq, n: count });
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
