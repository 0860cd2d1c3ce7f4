// One Octokit per credential: tzero's own (GITHUB_TOKEN or the App installation) and any token a
// step passes in `with.token`. Clients are cached so throttling and the App's token cache are
// shared by every step of every run in this process.
import { createHash } from 'node:crypto';
import { StepFailure } from '../errors.js';
import { createGitHub, type GitHub, type GitHubClientOptions, type GitHubLog } from './client.js';
import type { GitHubConfig } from './config.js';

export class GitHubClients {
  private own: GitHub | undefined;
  private readonly byToken = new Map<string, GitHub>();

  constructor(
    private readonly config: GitHubConfig,
    private readonly log: GitHubLog,
    private readonly opts: GitHubClientOptions = {},
  ) {}

  get apiUrl(): string {
    return this.config.apiUrl;
  }

  /** True when tzero has its own credential (a step without `with.token` can reach GitHub). */
  get configured(): boolean {
    return !!this.config.auth;
  }

  /** The client for `token` (a step's `with.token`), else tzero's own. */
  get(token?: string): GitHub {
    if (token) {
      // Keyed by a hash: the map is never a place a token can be read back from by accident.
      const key = createHash('sha256').update(token).digest('hex');
      let client = this.byToken.get(key);
      if (!client) this.byToken.set(key, (client = createGitHub({ kind: 'token', token }, this.config.apiUrl, this.log, this.opts)));
      return client;
    }
    if (!this.config.auth) throw new StepFailure('GitHub is not configured: set GITHUB_TOKEN or the GITHUB_APP_* variables, or give the step `with.token`');
    this.own ??= createGitHub(this.config.auth, this.config.apiUrl, this.log, this.opts);
    return this.own;
  }
}
