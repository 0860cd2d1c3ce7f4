// The demo's small world: an old site (goes into maintenance), a new site (sends HSTS), a DNS
// server for restarters.net, a DNS-provider-like API that changes it, and a GitHub stand-in with
// the restarters repository whose fake CircleCI reports `ci/circleci: deploy` a few seconds after
// `production` moves. Also used by tests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDnsProvider, type DnsProvider } from '../targets/dns-provider.js';
import { startDnsServer, type DnsServer } from '../targets/dns-server.js';
import { startGitHub, type GitHubStandIn } from '../targets/github.js';
import { startSite, type Site } from '../targets/site.js';

export const DNS_API_TOKEN = 'demo-dns-token-3f9a7c1e';
export const GITHUB_TOKEN = 'ghp_demo_token_not_real_7d2c';
export const GITHUB_REPO = 'therestartproject/restarters';
const here = path.dirname(fileURLToPath(import.meta.url));

export interface World {
  oldSite: Site;
  newSite: Site;
  dns: DnsServer;
  provider: DnsProvider;
  github: GitHubStandIn;
  /** production's sha before the run (the rollback puts it back). */
  productionBefore: string;
  /** The demo runbook text with the local addresses filled in. */
  runbook: string;
  writeRunbooks(dir?: string): string;
  /** monitors.yml for the demo: #alerts, and health monitors on both sites. */
  writeMonitors(dir?: string): string;
  close(): Promise<void>;
}

/** `ciDelayMs`: how long the fake CircleCI takes to report the deploy (the demo: a few seconds). */
export async function startWorld(opts: { ciDelayMs?: number } = {}): Promise<World> {
  const oldSite = await startSite({ name: 'old-site' });
  const newSite = await startSite({ name: 'new-site', hsts: true });
  const dns = await startDnsServer({ zone: 'restarters.net', records: [{ name: '@', type: 'A', values: ['139.59.184.196'], ttl: 60 }] });
  const provider = await startDnsProvider({ dns, token: DNS_API_TOKEN });
  const github = await startGitHub({ tokens: { [GITHUB_TOKEN]: 'tzero-demo' }, ci: { branch: 'production', context: 'ci/circleci: deploy', delayMs: opts.ciDelayMs ?? 3000 } });
  const repo = github.repo(GITHUB_REPO);
  const productionBefore = repo.git.commit('master', 'Fly.io deployment config', ['fly.toml']);
  repo.git.move('production', productionBefore);
  repo.git.commit('master', 'Laravel 10 + group tags', ['composer.json', 'app/Models/Group.php']);
  const runbook = readFileSync(path.join(here, 'runbooks', 'restarters-go-live.yml'), 'utf8')
    .replace('__OLD_SITE__', oldSite.url)
    .replace('__NEW_SITE__', newSite.url)
    .replace('__DNS_API__', provider.url)
    .replace('__RESOLVER__', dns.address);
  // The timeline part of the demo: planned a few seconds ahead (issue #7).
  const timeline = readFileSync(path.join(here, 'runbooks', 'restarters-timeline.yml'), 'utf8').replace('__DNS_API__', provider.url);
  return {
    oldSite, newSite, dns, provider, github, productionBefore, runbook,
    writeRunbooks(dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-demo-'))) {
      writeFileSync(path.join(dir, 'restarters-go-live.yml'), runbook);
      writeFileSync(path.join(dir, 'restarters-timeline.yml'), timeline);
      return dir;
    },
    writeMonitors(dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-demo-'))) {
      const file = path.join(dir, 'monitors.yml');
      writeFileSync(file, [
        'alerts_channel: C0ALERTS',
        'health:',
        `  - { id: old-site, url: "${oldSite.url}/robots.txt", every: 2s, timeout: 1s, down_after: 2, up_after: 2 }`,
        `  - { id: new-site, url: "${newSite.url}/robots.txt", every: 2s, timeout: 1s, down_after: 2, up_after: 2 }`,
        '',
      ].join('\n'));
      return file;
    },
    async close() {
      await Promise.all([oldSite.close(), newSite.close(), provider.close(), dns.close(), github.close()]);
    },
  };
}
