// A local web site standing in for "the old server" and "the new server" of a cutover: pages,
// a health endpoint, a static asset, maintenance mode (503 + Retry-After, like
// `php artisan down --retry=60`), a fail switch for alert demos, and request counters.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SiteOptions {
  /** Shown in pages and the `x-served-by` header ("old-site", "new-site"). */
  name: string;
  /** Send Strict-Transport-Security (the new site does). */
  hsts?: boolean;
  port?: number;
  /** Answer every request with a 301 to this origin + path (a port-80 listener redirecting to HTTPS). */
  redirectTo?: string;
}

export interface Site {
  name: string;
  url: string;
  port: number;
  /** Requests per "METHOD /path" (control requests included), plus `total`. */
  counts(): Record<string, number>;
  maintenance(): boolean;
  setMaintenance(on: boolean): void;
  setFail(on: boolean): void;
  close(): Promise<void>;
}

const RETRY_AFTER = '60';

export async function startSite(options: SiteOptions): Promise<Site> {
  const counts: Record<string, number> = { total: 0 };
  let maintenance = false;
  let fail = false;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.local');
    const method = req.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    counts[key] = (counts[key] ?? 0) + 1;
    counts.total!++;

    const base: Record<string, string> = { 'x-served-by': options.name };
    if (options.hsts) base['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...base, 'content-type': type, ...extra }).end(method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, body: unknown) => send(status, 'application/json', JSON.stringify(body));

    if (url.pathname.startsWith('/_control/')) {
      if (url.pathname === '/_control/counts' && method === 'GET') return json(200, counts);
      if (method !== 'POST') return json(405, { error: 'POST only' });
      const body = await readJson(req);
      const on = body?.on;
      if (typeof on !== 'boolean') return json(400, { error: 'body must be {"on": true|false}' });
      if (url.pathname === '/_control/maintenance') {
        maintenance = on;
        return json(200, { site: options.name, maintenance });
      }
      if (url.pathname === '/_control/fail') {
        fail = on;
        return json(200, { site: options.name, fail });
      }
      return json(404, { error: 'unknown control' });
    }

    if (options.redirectTo) return send(301, 'text/plain', 'Moved', { location: options.redirectTo.replace(/\/$/, '') + url.pathname + url.search });
    if (maintenance) {
      return send(503, 'text/html', `<h1>Be right back</h1><p>${options.name} is down for maintenance.</p>`, { 'retry-after': RETRY_AFTER });
    }
    if (fail) return json(500, { error: 'internal server error', site: options.name });

    switch (url.pathname) {
      case '/':
        return send(200, 'text/html; charset=utf-8', `<!doctype html><title>Restarters (${options.name})</title><link rel="stylesheet" href="/static/app.css"><h1>Fix your stuff</h1>`);
      case '/robots.txt':
        return send(200, 'text/plain', 'User-agent: *\nDisallow: /admin\n');
      case '/api/health':
        return json(200, { status: 'ok', site: options.name, checks: { db: 'ok', queue: 'ok' } });
      case '/static/app.css':
        return send(200, 'text/css', 'body{font-family:sans-serif}', { 'cache-control': 'public, max-age=31536000, immutable' });
      case '/slow': {
        // For request-timeout tests: answers after ?ms= milliseconds.
        const ms = Number(url.searchParams.get('ms') ?? 1000);
        const timer = setTimeout(() => json(200, { slept: ms }), ms);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      default:
        return send(404, 'text/html', '<h1>Not found</h1>');
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: options.name,
    url: `http://127.0.0.1:${port}`,
    port,
    counts: () => ({ ...counts }),
    maintenance: () => maintenance,
    setMaintenance: (on) => void (maintenance = on),
    setFail: (on) => void (fail = on),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
