// tzero's Octokit against the stand-in: GitHub's rate-limit answers are waited out (Retry-After
// honoured), a GitHub App gets installation tokens with a JWT the stand-in verifies with the
// app's public key, and a wrong token is GitHub's 401.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHub, statusOf } from '../../src/github/client.js';
import { GitHubClients } from '../../src/github/clients.js';
import { loadConfig, Secret } from '../../src/config.js';
import { githubMerge } from '../../src/steps/github-merge.js';
import { githubFixture, REPO, TOKEN, type GitHubFixture } from '../support/github.js';
import { runStep } from '../support/step-context.js';

let f: GitHubFixture;
afterEach(() => f.close());

describe('GitHub client', () => {
  it('waits out a secondary rate limit for at least its Retry-After, then the merge goes through once', async () => {
    f = await githubFixture();
    f.gh.rateLimit({ kind: 'secondary', retryAfter: 1, match: /^POST .*\/merges$/ });
    const result = await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, { github: f.clientFor });
    expect(result.outputs!.merged).toBe(true);
    const merges = f.gh.requests().filter((r) => r.path.endsWith('/merges'));
    expect(merges.map((r) => r.status)).toEqual([403, 201]);
    // Honoured: the retry came no sooner than Retry-After (a lower bound, so load cannot break it).
    expect(merges[1]!.at - merges[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(f.warnings).toContainEqual(expect.objectContaining({ kind: 'secondary', retryAfter: 1, msg: 'github rate limit hit' }));
  });

  it('waits for the primary limit to reset (x-ratelimit-remaining: 0)', async () => {
    f = await githubFixture();
    f.gh.rateLimit({ kind: 'primary', retryAfter: 1, match: /^GET .*\/pulls$/ });
    const { data } = await f.client.rest.pulls.list({ owner: 'therestartproject', repo: 'restarters' });
    expect(data).toEqual([]);
    expect(f.gh.requests().filter((r) => r.path.endsWith('/pulls')).map((r) => r.status)).toEqual([403, 200]);
    expect(f.warnings).toContainEqual(expect.objectContaining({ kind: 'primary' }));
  });

  it('answers a wrong token with GitHub’s 401, never retried', async () => {
    f = await githubFixture();
    const err = await f.clientFor('ghp_wrong').rest.git.getRef({ owner: 'therestartproject', repo: 'restarters', ref: 'heads/production' }).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(401);
    expect(f.gh.requests().filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('authenticates as a GitHub App: JWT verified with the app key, one installation token reused', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    f = await githubFixture({ app: { appId: '4242', slug: 'tzero', installationId: 99, publicKey } });
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', GITHUB_APP_ID: '4242', GITHUB_APP_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'), GITHUB_APP_INSTALLATION_ID: '99', GITHUB_API_URL: f.gh.url });
    expect(config.github.auth?.kind).toBe('app');
    const clients = new GitHubClients(config.github, { warn: () => undefined });
    await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, { github: (t) => clients.get(t) });
    expect(f.gh.repo(REPO).git.branches.get('production')).not.toBe(f.shas.base);
    expect(f.gh.minted()).toBe(1); // cached: every request of the step used the same installation token
    expect(f.gh.requests().filter((r) => r.path !== '/app/installations/99/access_tokens').every((r) => r.scheme === 'token' && r.status < 400)).toBe(true);

    // A key that is not the app's is refused by the stand-in, as GitHub would.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const wrong = createGitHub({ kind: 'app', appId: '4242', installationId: 99, privateKey: new Secret(other.privateKey) }, f.gh.url, { warn: () => undefined });
    expect(statusOf(await wrong.rest.pulls.list({ owner: 'therestartproject', repo: 'restarters' }).catch((e: unknown) => e))).toBe(401);
  });

  it('config: token or App, never both; a truncated PEM is named; tokens are not runbook secrets', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig({ ...base, GITHUB_TOKEN: TOKEN }).github).toMatchObject({ apiUrl: 'https://api.github.com', auth: { kind: 'token' } });
    expect(String(loadConfig({ ...base, GITHUB_TOKEN: TOKEN }).github.auth && JSON.stringify(loadConfig({ ...base, GITHUB_TOKEN: TOKEN }).github))).not.toContain(TOKEN);
    expect(() => loadConfig({ ...base, GITHUB_TOKEN: TOKEN, GITHUB_APP_ID: '1' })).toThrow(/set either a token or the GitHub App variables[\s\S]*GITHUB_APP_PRIVATE_KEY: required/);
    expect(() => loadConfig({ ...base, GITHUB_APP_ID: '1', GITHUB_APP_INSTALLATION_ID: '2', GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----' })).toThrow(/must be the whole PEM/);
    expect(loadConfig({ ...base, GITHUB_TOKEN: TOKEN }).secretEnv('GITHUB_TOKEN')).toBeUndefined();
  });
});
