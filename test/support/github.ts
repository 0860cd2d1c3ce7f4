// The GitHub stand-in with the seed's repository (therestartproject/restarters: master,
// production, develop) and an Octokit pointed at it the way tzero builds one.
import { createGitHub, type GitHub } from '../../src/github/client.js';
import { startGitHub, type FakeCi, type GitHubStandIn, type GitHubStandInOptions } from '../../targets/github.js';

export const REPO = 'therestartproject/restarters';
export const TOKEN = 'ghp_test_token_0123456789';

export interface GitHubFixture {
  gh: GitHubStandIn;
  client: GitHub;
  /** An Octokit for any token (what ctx.github(token) gives a step). */
  clientFor(token?: string): GitHub;
  warnings: Record<string, unknown>[];
  shas: { base: string; master: string };
  close(): Promise<void>;
}

export async function githubFixture(opts: GitHubStandInOptions & { ci?: FakeCi } = {}): Promise<GitHubFixture> {
  const gh = await startGitHub({ ...opts, tokens: { [TOKEN]: 'tzero-bot', ...opts.tokens } });
  const repo = gh.repo(REPO);
  const base = repo.git.commit('master', 'initial', ['README.md']);
  repo.git.move('production', base);
  repo.git.move('develop', base);
  const master = repo.git.commit('master', 'Laravel 10 + group tags', ['app/Http/Kernel.php', 'composer.json']);
  repo.workflows.push({ id: 77, name: 'Deploy', path: '.github/workflows/deploy.yml' }, { id: 78, name: 'Warm caches', path: '.github/workflows/warm-caches.yml' });
  const warnings: Record<string, unknown>[] = [];
  const log = { warn: (meta: Record<string, unknown>, msg: string) => void warnings.push({ ...meta, msg }) };
  // Back-off of plugin-retry shrunk to 10 ms per "second"; Retry-After handling is plugin-throttling's and stays real.
  const clients = new Map<string, GitHub>();
  const clientFor = (token = TOKEN) => {
    if (!clients.has(token)) clients.set(token, createGitHub({ kind: 'token', token }, gh.url, log, { retryBackoffMs: 10 }));
    return clients.get(token)!;
  };
  return { gh, client: clientFor(), clientFor, warnings, shas: { base, master }, close: () => gh.close() };
}
