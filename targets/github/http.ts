// Request plumbing of the GitHub stand-in: a tiny router over decoded path segments (Octokit
// sends `heads%2Fproduction`; a literal slash works too for `*rest` captures), and GitHub's
// error body shape.
export interface Request {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Login of the caller (from its token). */
  actor: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: Request) => Reply;

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

/** GitHub's error body: `{ message, documentation_url, status }` (status as a string). */
export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  return { message, ...extra, documentation_url: 'https://docs.github.com/rest', status: String(status) };
}

export const fail = (status: number, message: string, extra: Record<string, unknown> = {}): never => {
  throw new HttpError(status, message, extra);
};

type Route = { method: string; parts: string[]; handler: Handler };

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, rawPath: string): { handler: Handler; params: Record<string, string> } | undefined {
    const segments = rawPath.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < r.parts.length && ok; i++) {
        const p = r.parts[i]!;
        if (p.startsWith('*')) {
          params[p.slice(1)] = segments.slice(i).join('/');
          if (!params[p.slice(1)]) ok = false;
          return ok ? { handler: r.handler, params } : undefined;
        }
        const seg = segments[i];
        if (seg === undefined) ok = false;
        else if (p.startsWith(':')) params[p.slice(1)] = seg;
        else if (p !== seg) ok = false;
      }
      if (ok && segments.length === r.parts.length) return { handler: r.handler, params };
    }
    return undefined;
  }
}
