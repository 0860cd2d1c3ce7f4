// A DNS-provider-like HTTP API in front of the local DNS server, the way a runbook's
// `http.request` step switches DNS: `PUT /v1/zones/<zone>/records/<name>/<type>` with a Bearer
// token. Every change is recorded, so tests can count side effects.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DnsServer, RecordType } from './dns-server.js';

export interface DnsProviderOptions {
  dns: DnsServer;
  token: string;
  port?: number;
}

export interface DnsChange {
  name: string;
  type: RecordType;
  before: string[];
  after: string[];
  ttl: number;
  at: number;
}

export interface DnsProvider {
  url: string;
  /** Every PUT that was accepted, in order (including ones that set the same values again). */
  changes(): DnsChange[];
  /** Requests rejected for a missing or wrong token. */
  unauthorized(): number;
  close(): Promise<void>;
}

const TYPES = new Set<RecordType>(['A', 'AAAA', 'CNAME', 'TXT']);
const ROUTE = /^\/v1\/zones\/([^/]+)\/records\/([^/]+)\/([A-Za-z]+)$/;

export async function startDnsProvider(options: DnsProviderOptions): Promise<DnsProvider> {
  const { dns } = options;
  const changes: DnsChange[] = [];
  let unauthorized = 0;

  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      unauthorized++;
      return send(401, { error: 'unauthorized' });
    }
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return send(404, { error: 'not found' });
    const [zone, rawName, rawType] = [decodeURIComponent(match[1]!), decodeURIComponent(match[2]!), match[3]!.toUpperCase()];
    if (zone.toLowerCase() !== dns.zone) return send(404, { error: `unknown zone ${zone}` });
    if (!TYPES.has(rawType as RecordType)) return send(400, { error: `unsupported type ${rawType}` });
    const type = rawType as RecordType;
    let name: string;
    try {
      name = dns.absoluteName(rawName);
    } catch (err) {
      return send(400, { error: (err as Error).message });
    }

    if (req.method === 'GET') {
      const current = dns.getRecords(name, type);
      return current ? send(200, { name, type, ...current }) : send(404, { error: `no ${type} records for ${name}` });
    }
    if (req.method !== 'PUT') return send(405, { error: 'use GET or PUT' });

    let body: { values?: unknown; ttl?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return send(400, { error: 'body must be JSON {values: [...], ttl}' });
    }
    const { values, ttl = 300 } = body;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string') || typeof ttl !== 'number') {
      return send(400, { error: 'body must be JSON {values: [...], ttl}' });
    }
    const before = dns.getRecords(name, type)?.values ?? [];
    try {
      dns.setRecords(name, type, values, ttl);
    } catch (err) {
      return send(400, { error: (err as Error).message });
    }
    changes.push({ name, type, before, after: [...values], ttl, at: Date.now() });
    send(200, { name, type, values, ttl, change_id: `chg-${changes.length}` });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    changes: () => changes.map((c) => ({ ...c })),
    unauthorized: () => unauthorized,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
