// GitHub settings (public contract): GITHUB_TOKEN, or a GitHub App (GITHUB_APP_ID,
// GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID); GITHUB_API_URL for GHES and the stand-in.
import { z } from 'zod';

/** A value that prints as [redacted] (src/config.ts's Secret); kept structural to avoid an import cycle. */
export interface Secret {
  reveal(): string;
}

export type GitHubAuth = { kind: 'token'; token: Secret } | { kind: 'app'; appId: string; privateKey: Secret; installationId: number };

export interface GitHubConfig {
  /** tzero's own credential; absent = only steps with `with.token` can reach GitHub. */
  auth?: GitHubAuth;
  /** REST base URL: https://api.github.com, or https://<host>/api/v3 on GHES. */
  apiUrl: string;
}

export const GITHUB_ENV = ['GITHUB_TOKEN', 'GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_INSTALLATION_ID', 'GITHUB_API_URL'] as const;

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

const blank = (v: string | undefined) => v === undefined || v === '';

/** Problems with the GitHub variables (all of them at once), or the settings. */
export function parseGitHubEnv(env: NodeJS.ProcessEnv, secret: (v: string) => Secret): { problems: string[]; config: GitHubConfig } {
  const problems: string[] = [];
  const apiUrl = blank(env.GITHUB_API_URL) ? DEFAULT_GITHUB_API_URL : env.GITHUB_API_URL!.replace(/\/+$/, '');
  if (!z.url({ protocol: /^https?$/ }).safeParse(apiUrl).success) problems.push('GITHUB_API_URL: must be an http(s) URL');
  const app = ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_INSTALLATION_ID'] as const;
  const appSet = app.filter((k) => !blank(env[k]));
  if (!blank(env.GITHUB_TOKEN) && appSet.length) problems.push('GITHUB_TOKEN: set either a token or the GitHub App variables, not both');
  if (appSet.length && appSet.length < app.length) {
    for (const k of app.filter((x) => blank(env[x]))) problems.push(`${k}: required with the other GITHUB_APP_* variables`);
  }
  if (!blank(env.GITHUB_APP_ID) && !/^\d+$/.test(env.GITHUB_APP_ID!)) problems.push('GITHUB_APP_ID: must be the numeric app id');
  if (!blank(env.GITHUB_APP_INSTALLATION_ID) && !/^\d+$/.test(env.GITHUB_APP_INSTALLATION_ID!)) problems.push('GITHUB_APP_INSTALLATION_ID: must be a number');
  // A .env file often keeps only the first line of a PEM; say so instead of failing at the first call.
  const pem = env.GITHUB_APP_PRIVATE_KEY?.replace(/\\n/g, '\n');
  if (!blank(pem) && !/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/.test(pem!)) {
    problems.push('GITHUB_APP_PRIVATE_KEY: must be the whole PEM (BEGIN … END PRIVATE KEY), newlines kept or written as \\n');
  }
  if (problems.length) return { problems, config: { apiUrl } };
  if (!blank(env.GITHUB_TOKEN)) return { problems, config: { auth: { kind: 'token', token: secret(env.GITHUB_TOKEN!) }, apiUrl } };
  if (appSet.length === app.length) {
    return { problems, config: { auth: { kind: 'app', appId: env.GITHUB_APP_ID!, privateKey: secret(pem!), installationId: Number(env.GITHUB_APP_INSTALLATION_ID) }, apiUrl } };
  }
  return { problems, config: { apiUrl } };
}
