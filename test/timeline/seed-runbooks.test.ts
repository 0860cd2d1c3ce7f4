// The seed runbooks in examples/runbooks, planned and run from T-minus to the last after-window
// step against local stand-ins (the demo's DNS provider and site), with a hand-moved clock.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { startDnsProvider, type DnsProvider } from '../../targets/dns-provider.js';
import { startDnsServer, type DnsServer } from '../../targets/dns-server.js';
import { startSite, type Site } from '../../targets/site.js';
import { ManualClock, driveTo } from '../support/manual-clock.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const H = 3_600_000;
const D = 24 * H;
const TOKEN = 'seed-dns-token-5b1e';
const NOW = Date.UTC(2027, 8, 1, 9, 0, 0);
const clock = new ManualClock(NOW);
let sys: System;
let bot: Tzero;
let dns: DnsServer;
let provider: DnsProvider;
let cfpDns: DnsServer;
let cfpProvider: DnsProvider;
let site: Site;

const local = (file: string, p: DnsProvider) =>
  readFileSync(`examples/runbooks/${file}`, 'utf8')
    .replace('dns_api: https://api.dns.example', `dns_api: ${p.url}`)
    .replace(/site: https:\/\/[a-z.]+/, `site: ${site.url}`);

beforeAll(async () => {
  site = await startSite({ name: 'new-site' });
  dns = await startDnsServer({ zone: 'restarters.net', records: [] });
  provider = await startDnsProvider({ dns, token: TOKEN });
  cfpDns = await startDnsServer({ zone: 'codeforphilly.org', records: [] });
  cfpProvider = await startDnsProvider({ dns: cfpDns, token: TOKEN });
  sys = await startSystem({
    clock,
    env: { DNS_API_TOKEN: TOKEN },
    runbooks: { 'restarters.yml': local('restarters-timeline.yml', provider), 'cfp.yml': local('codeforphilly-cutover.yml', cfpProvider) },
  });
  bot = await sys.startBot();
});
afterAll(async () => {
  await sys?.stop();
  await Promise.all([site?.close(), provider?.close(), dns?.close(), cfpProvider?.close(), cfpDns?.close()]);
});

const get = async (id: string): Promise<Run> => (await bot.engine.getRun(id))!;
const step = (r: Run, id: string) => r.steps.find((s) => s.id === id)!;

it('the seed runbooks lint clean', async () => {
  const { runbooks, invalid } = await loadRunbooks('examples/runbooks');
  expect(invalid).toEqual([]);
  expect([...runbooks.keys()]).toEqual(expect.arrayContaining(['restarters-timeline', 'codeforphilly-cutover']));
});

it('Restarters: TTL lowered at T-1d, the flip at T-0, a 2 h watch, the TTL restored at T+48h after the window', async () => {
  const t0 = clock.now() + 2 * D;
  const run = await bot.engine.plan({ runbook: 'restarters-timeline', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  await driveTo(bot.queue.queue, clock, t0 + 49 * H);
  const done = await get(run.id);
  expect(done.status).toBe('succeeded');
  expect(step(done, 'lower-ttl').startedAt).toBe(t0 - D);
  expect(step(done, 'window-open').startedAt).toBe(t0);
  expect(done.watch!.until - done.watch!.startedAt).toBe(2 * H);
  expect(step(done, 'restore-ttl').startedAt).toBe(t0 + 48 * H);
  expect(provider.changes().map((c) => c.ttl)).toEqual([60, 60, 3600]);
});

it('Code for Philly: T-7d announce and TTL, approvals at T-3d and T-1d, the flip at T-0, follow-ups to T+180d', async () => {
  const t0 = clock.now() + 10 * D;
  const run = await bot.engine.plan({ runbook: 'codeforphilly-cutover', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  const approve = async (stepId: string, at: number) => {
    await driveTo(bot.queue.queue, clock, at);
    const r = await waitUntil(async () => { const x = await get(run.id); return step(x, stepId).status === 'awaiting_approval' ? x : null; }, 10_000, `${stepId} awaiting approval`);
    await bot.engine.approve({ runId: run.id, stepId, attempt: step(r, stepId).attempt }, 'U0SECOND');
  };
  await approve('rehearsal', t0 - 3 * D);
  await approve('go-no-go', t0 - D);
  expect(cfpProvider.changes().map((c) => c.after)).toEqual([['203.0.113.10']]); // TTL lowered at T-7d
  await driveTo(bot.queue.queue, clock, t0 + 181 * D);
  const done = await get(run.id);
  expect(done.status).toBe('succeeded');
  expect(step(done, 'announce').startedAt).toBe(t0 - 7 * D);
  expect(step(done, 'dns-flip').startedAt).toBe(t0);
  expect(step(done, 'smoke').startedAt).toBe(t0 + H);
  expect(step(done, 'purge-passwords').startedAt).toBe(t0 + 180 * D);
  expect(cfpProvider.changes().map((c) => c.after)).toEqual([['203.0.113.10'], ['203.0.113.20']]);
});
