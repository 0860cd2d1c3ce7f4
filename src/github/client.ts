// The GitHub edge: Octokit with GitHub's own rules built in. plugin-throttling paces writes and
// waits out primary and secondary rate limits (Retry-After honoured); plugin-retry retries 5xx
// and network errors, but never a non-idempotent write (merge, dispatch, deployment), where a
// retry could do the thing twice. Auth is a token or a GitHub App installation (auth-app caches
// the installation token and fetches a new one before its hour is up).
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { createHash } from 'node:crypto';
import type { GitHubAuth } from './config.js';

export type GitHub = InstanceType<typeof Octokit>;
export { NO_RETRY, splitRepo, statusOf, messageOf } from './request-util.js';

const GitHubOctokit = Octokit.plugin(throttling, retry);

export interface GitHubLog {
  warn(meta: Record<string, unknown>, msg: string): void;
}

export interface GitHubClientOptions {
  /** Rate-limited requests are retried this many times before the error surfaces. */
  rateLimitRetries?: number;
  /** Milliseconds per "second" of Retry-After and retry back-off (tests shrink the back-off, not the header). */
  retryBackoffMs?: number;
}

export function createGitHub(
  auth: GitHubAuth | { kind: 'token'; token: string },
  apiUrl: string,
  log: GitHubLog,
  opts: GitHubClientOptions = {},
): GitHub {
  const retries = opts.rateLimitRetries ?? 3;
  const onLimit = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
    log.warn({ kind, retryAfter, method: options.method, url: options.url, retryCount }, 'github rate limit hit');
    return retryCount < retries;
  };
  const authOptions =
    auth.kind === 'token'
      ? { auth: typeof auth.token === 'string' ? auth.token : auth.token.reveal() }
      : { authStrategy: createAppAuth, auth: { appId: auth.appId, privateKey: auth.privateKey.reveal(), installationId: auth.installationId } };
  return new GitHubOctokit({
    ...authOptions,
    baseUrl: apiUrl.replace(/\/$/, ''),
    userAgent: 'tzero',
    // Octokit logs nothing through console: warnings go to pino, without request headers.
    log: { debug: () => undefined, info: () => undefined, warn: (msg: string) => log.warn({}, String(msg)), error: (msg: string) => log.warn({}, String(msg)) },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      // Keyed per credential so two tokens do not share one pacing queue.
      // Writes go single file, ≥ 1 s apart (GitHub's guidance against secondary limits).
      id: credentialId(auth),
    },
    retry: { retryAfterBaseValue: opts.retryBackoffMs ?? 1000 },
  });
}

function credentialId(auth: GitHubAuth | { kind: 'token'; token: string }): string {
  const material = auth.kind === 'token' ? (typeof auth.token === 'string' ? auth.token : auth.token.reveal()) : `${auth.appId}/${auth.installationId}`;
  return `tzero-${createHash('sha256').update(material).digest('hex').slice(0, 12)}`;
}

