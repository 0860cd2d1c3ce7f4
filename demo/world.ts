// The demo's small world: an old site (goes into maintenance), a new site (sends HSTS), a DNS
// server for restarters.net and a DNS-provider-like API that changes it. Also used by tests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDnsProvider, type DnsProvider } from '../targets/dns-provider.js';
import { startDnsServer, type DnsServer } from '../targets/dns-server.js';
import { startSite, type Site } from '../targets/site.js';

export const DNS_API_TOKEN = 'demo-dns-token-3f9a7c1e';
const here = path.dirname(fileURLToPath(import.meta.url));

export interface World {
  oldSite: Site;
  newSite: Site;
  dns: DnsServer;
  provider: DnsProvider;
  /** The demo runbook text with the local addresses filled in. */
  runbook: string;
  writeRunbooks(dir?: string): string;
  /** monitors.yml for the demo: #alerts, and health monitors on both sites. */
  writeMonitors(dir?: string): string;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const oldSite = await startSite({ name: 'old-site' });
  const newSite = await startSite({ name: 'new-site', hsts: true });
  const dns = await startDnsServer({ zone: 'restarters.net', records: [{ name: '@', type: 'A', values: ['139.59.184.196'], ttl: 60 }] });
  const provider = await startDnsProvider({ dns, token: DNS_API_TOKEN });
  const runbook = readFileSync(path.join(here, 'runbooks', 'restarters-go-live.yml'), 'utf8')
    .replace('__OLD_SITE__', oldSite.url)
    .replace('__NEW_SITE__', newSite.url)
    .replace('__DNS_API__', provider.url)
    .replace('__RESOLVER__', dns.address);
  // The timeline part of the demo: planned a few seconds ahead (issue #7).
  const timeline = readFileSync(path.join(here, 'runbooks', 'restarters-timeline.yml'), 'utf8').replace('__DNS_API__', provider.url);
  return {
    oldSite, newSite, dns, provider, runbook,
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
      await Promise.all([oldSite.close(), newSite.close(), provider.close(), dns.close()]);
    },
  };
}
