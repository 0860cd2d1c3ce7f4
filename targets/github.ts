// A local stand-in for the GitHub REST API subset tzero uses (refs, merges, statuses, check
// runs, workflow dispatch/runs/cancel, deployments, pulls), speaking GitHub's wire format: bearer
// tokens (or GitHub App installation tokens minted from a verified JWT), `{ message,
// documentation_url }` errors, 409/422, and injectable rate-limit 403s with Retry-After. A fake
// CI posts a commit status a few seconds after a watched branch moves, like CircleCI.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAppJwt, mintInstallationToken, type AppOptions } from './github/app-auth.js';
import { errorBody, HttpError, Router } from './github/http.js';
import { ciRoutes } from './github/routes-ci.js';
import { deployRoutes } from './github/routes-deploy.js';
import { gitRoutes } from './github/routes-git.js';
import { iso, RepoWorld } from './github/world.js';

export type { RepoWorld } from './github/world.js';

export interface FakeCi {
  /** Branch whose moves trigger the CI (e.g. production). */
  branch: string;
  /** Status context, e.g. `ci/circleci: deploy`. */
  context: string;
  /** From the move to the final status. */
  delayMs: number;
  /** Final state (default success). */
  outcome?: 'success' | 'failure';
}

export interface GitHubStandInOptions {
  /** token → login. */
  tokens?: Record<string, string>;
  app?: AppOptions;
  ci?: FakeCi;
  /** Dispatch answers 200 with the run id (default true); false behaves like GHES (204). */
  returnRunDetails?: boolean;
  port?: number;
}

export interface RateLimitFault {
  kind: 'secondary' | 'primary';
  /** Seconds (secondary: the Retry-After header; primary: until x-ratelimit-reset). */
  retryAfter: number;
  /** How many requests get it (default 1). */
  count?: number;
  /** Only requests whose method + path match, e.g. /^POST .*\/merges$/. */
  match?: RegExp;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: number;
  /** `token`, `bearer` or `none`: the scheme only, never the credential. */
  scheme: string;
  /** Login the token belongs to, when it was accepted. */
  actor?: string;
}

export interface GitHubStandIn {
  url: string;
  repo(fullName: string): RepoWorld;
  requests(): RequestRecord[];
  /** Installation tokens minted for the GitHub App. */
  minted(): number;
  rateLimit(fault: RateLimitFault): void;
  setCi(ci: FakeCi | undefined): void;
  close(): Promise<void>;
}

export async function startGitHub(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const tokens = new Map(Object.entries(options.tokens ?? {}));
  const repos = new Map<string, RepoWorld>();
  const log: RequestRecord[] = [];
  const faults: RateLimitFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let ci = options.ci;
  let minted = 0;
  let id = 1000;
  const nextId = () => ++id;
  const router = new Router();
  let url = '';

  const repo = (fullName: string): RepoWorld => {
    let w = repos.get(fullName);
    if (!w) {
      w = new RepoWorld(fullName);
      const world = w;
      world.git.onMove = (branch, sha) => {
        if (!ci || branch !== ci.branch) return;
        const { context, delayMs, outcome } = ci;
        const post = (state: 'pending' | 'success' | 'failure') =>
          world.statuses.set(sha, [...(world.statuses.get(sha) ?? []), { id: nextId(), state, context, description: `deploy ${state}`, target_url: `${url}/ci/${sha.slice(0, 7)}`, created_at: iso(), updated_at: iso() }]);
        post('pending');
        const t = setTimeout(() => (timers.delete(t), post(outcome ?? 'success')), delayMs);
        timers.add(t);
      };
      repos.set(fullName, w);
    }
    return w;
  };
  const repoOf = (owner: string, name: string) => repos.get(`${owner}/${name}`) ?? (() => { throw new HttpError(404, 'Not Found'); })();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://stand-in');
      const method = req.method ?? 'GET';
      const auth = req.headers.authorization ?? '';
      const scheme = auth.split(' ')[0]?.toLowerCase() || 'none';
      let actor: string | undefined;
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        log.push({ method, path: u.pathname, status, at: Date.now(), scheme, actor });
        const rate = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), 'x-ratelimit-resource': 'core' };
        if (body === undefined) return void res.writeHead(status, { ...rate, ...headers }).end();
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...rate, ...headers }).end(JSON.stringify(body));
      };
      try {
        const credential = auth.replace(/^(bearer|token)\s+/i, '');
        // GitHub App: the JWT buys an installation token.
        const tokenRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(u.pathname);
        if (method === 'POST' && tokenRoute && options.app) {
          if (Number(tokenRoute[1]) !== options.app.installationId) return send(404, errorBody(404, 'Not Found'));
          const problem = checkAppJwt(credential, options.app);
          if (problem) return send(401, errorBody(401, problem));
          const t = mintInstallationToken();
          tokens.set(t.token, `${options.app.slug}[bot]`);
          minted++;
          return send(201, { token: t.token, expires_at: iso(t.expiresAt), permissions: { contents: 'write', statuses: 'read', checks: 'read', actions: 'write', deployments: 'write', pull_requests: 'read' }, repository_selection: 'all' });
        }
        actor = tokens.get(credential);
        if (!actor) return send(401, errorBody(401, 'Bad credentials'));
        const fault = faults.find((f) => !f.match || f.match.test(`${method} ${u.pathname}`));
        if (fault) {
          if (--fault.count! <= 0) faults.splice(faults.indexOf(fault), 1);
          if (fault.kind === 'secondary') {
            return send(403, errorBody(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'), { 'retry-after': String(fault.retryAfter) });
          }
          return send(403, errorBody(403, 'API rate limit exceeded for installation.'), { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + fault.retryAfter) });
        }
        const found = router.match(method, u.pathname);
        if (!found) return send(404, errorBody(404, 'Not Found'));
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          return send(400, errorBody(400, 'Problems parsing JSON'));
        }
        const reply = found.handler({ method, params: found.params, query: u.searchParams, body, actor: actor! });
        send(reply.status, reply.body, reply.headers);
      } catch (err) {
        if (err instanceof HttpError) return send(err.status, errorBody(err.status, err.message, err.extra));
        send(500, errorBody(500, `stand-in error: ${(err as Error).message}`));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gitRoutes(router, repoOf, url);
  ciRoutes(router, repoOf, url, { returnRunDetails: () => options.returnRunDetails ?? true, nextId });
  deployRoutes(router, repoOf, url, nextId);

  return {
    url,
    repo,
    requests: () => [...log],
    minted: () => minted,
    rateLimit: (fault) => void faults.push({ count: 1, ...fault }),
    setCi: (next) => void (ci = next),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
