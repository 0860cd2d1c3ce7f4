import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { dnsCheck } from '../../src/steps/dns-check.js';
import { startDnsServer, type DnsServer } from '../../targets/dns-server.js';
import { runStep } from '../support/step-context.js';

// Two resolvers that disagree, like a public resolver still caching the old address.
let fresh: DnsServer;
let stale: DnsServer;
beforeAll(async () => {
  const records = (a: string) => [
    { name: '@', type: 'A' as const, values: [a] },
    { name: '@', type: 'AAAA' as const, values: ['2a09:8280:1::ce:b85f:0'] },
    { name: 'www', type: 'CNAME' as const, values: ['Restarters.NET.'] },
    { name: '@', type: 'TXT' as const, values: ['v=spf1 include:mailgun.org ~all', 'google-site-verification=abc'] },
  ];
  fresh = await startDnsServer({ zone: 'restarters.net', records: records('66.241.124.187') });
  stale = await startDnsServer({ zone: 'restarters.net', records: records('139.59.184.196') });
});
afterAll(() => Promise.all([fresh.close(), stale.close()]));

async function failure(promise: Promise<unknown>): Promise<StepFailure> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepFailure);
  return err as StepFailure;
}

describe('dns.check', () => {
  it('passes when every resolver answers exactly the expected set, recording each answer', async () => {
    stale.setRecords('@', 'A', ['66.241.124.187']);
    const result = await runStep(dnsCheck, { name: 'restarters.net', expect: ['66.241.124.187'], resolvers: [fresh.address, stale.address] });
    expect(result.outputs).toEqual({ answers: { [fresh.address]: ['66.241.124.187'], [stale.address]: ['66.241.124.187'] }, ttls: { [fresh.address]: 300, [stale.address]: 300 }, attempts: 1 });
    expect(result.evidence).toEqual([`${fresh.address}: 66.241.124.187 (TTL 300s) ✓`, `${stale.address}: 66.241.124.187 (TTL 300s) ✓`]);
    stale.setRecords('@', 'A', ['139.59.184.196']);
  });

  it('fails when one of two resolvers still answers the old address, naming it', async () => {
    const err = await failure(runStep(dnsCheck, { name: 'restarters.net', type: 'A', expect: ['66.241.124.187'], resolvers: [fresh.address, stale.address] }));
    expect(err.message).toBe(`A restarters.net: ${stale.address} did not answer [66.241.124.187]`);
    expect(err.evidence).toEqual([`${fresh.address}: 66.241.124.187 (TTL 300s) ✓`, `${stale.address}: 139.59.184.196 (TTL 300s) ✗`]);
  });

  it('ttl_max: fails when a resolver answers with a TTL above it, naming the resolver and its TTL', async () => {
    fresh.setRecords('@', 'A', ['66.241.124.187'], 60);
    stale.setRecords('@', 'A', ['66.241.124.187'], 3600);
    try {
      const err = await failure(runStep(dnsCheck, { name: 'restarters.net', expect: ['66.241.124.187'], resolvers: [fresh.address, stale.address], ttl_max: 60 }));
      expect(err.message).toBe(`A restarters.net: TTL above ttl_max 60s at ${stale.address} (3600s)`);
      expect(err.facts?.ttls).toEqual({ [fresh.address]: 60, [stale.address]: 3600 });
      expect(err.evidence).toEqual([`${fresh.address}: 66.241.124.187 (TTL 60s) ✓`, `${stale.address}: 66.241.124.187 (TTL 3600s) ✗`]);
      stale.setRecords('@', 'A', ['66.241.124.187'], 60);
      const ok = await runStep(dnsCheck, { name: 'restarters.net', expect: ['66.241.124.187'], resolvers: [fresh.address, stale.address], ttl_max: 60 });
      expect(ok.outputs?.ttls).toEqual({ [fresh.address]: 60, [stale.address]: 60 });
    } finally {
      fresh.setRecords('@', 'A', ['66.241.124.187']);
      stale.setRecords('@', 'A', ['139.59.184.196']);
    }
  });

  it('ttl_max counts every answer record, the CNAME on the way included', async () => {
    fresh.setRecords('alias', 'CNAME', ['restarters.net'], 3600);
    fresh.setRecords('@', 'A', ['66.241.124.187'], 60);
    try {
      const err = await failure(runStep(dnsCheck, { name: 'alias.restarters.net', expect: ['66.241.124.187'], resolvers: [fresh.address], ttl_max: 300 }));
      expect(err.message).toMatch(/TTL above ttl_max 300s at .* \(3600s\)/);
      const cname = await failure(runStep(dnsCheck, { name: 'alias.restarters.net', type: 'CNAME', expect: ['restarters.net'], resolvers: [fresh.address], ttl_max: 60 }));
      expect(cname.evidence).toEqual([`${fresh.address}: restarters.net (TTL 3600s) ✗`]);
    } finally {
      fresh.setRecords('alias', 'CNAME', []);
      fresh.setRecords('@', 'A', ['66.241.124.187']);
    }
  });

  it('with `within`, retries until the stale resolver catches up', async () => {
    setTimeout(() => stale.setRecords('@', 'A', ['66.241.124.187']), 300);
    const result = await runStep(dnsCheck, { name: 'restarters.net', expect: ['66.241.124.187'], resolvers: [fresh.address, stale.address], within: '5s', every: '100ms' });
    expect(result.outputs?.attempts).toBeGreaterThanOrEqual(3);
    stale.setRecords('@', 'A', ['139.59.184.196']);
  });

  it('compares sets: order, extra or missing values, duplicates', async () => {
    fresh.setRecords('@', 'A', ['66.241.124.187', '66.241.124.188']);
    try {
      await runStep(dnsCheck, { name: 'restarters.net', expect: ['66.241.124.188', '66.241.124.187', '66.241.124.187'], resolvers: [fresh.address] });
      await failure(runStep(dnsCheck, { name: 'restarters.net', expect: ['66.241.124.187'], resolvers: [fresh.address] }));
      await failure(runStep(dnsCheck, { name: 'restarters.net', expect: ['66.241.124.187', '66.241.124.188', '66.241.124.189'], resolvers: [fresh.address] }));
    } finally {
      fresh.setRecords('@', 'A', ['66.241.124.187']);
    }
  });

  it('compares IPv6 normalized, names without case or trailing dot, TXT exactly', async () => {
    await runStep(dnsCheck, { name: 'restarters.net', type: 'AAAA', expect: ['2A09:8280:0001:0:0:00ce:B85F:0000'], resolvers: [fresh.address] });
    await runStep(dnsCheck, { name: 'WWW.restarters.net.', type: 'CNAME', expect: ['restarters.net'], resolvers: [fresh.address] });
    await runStep(dnsCheck, { name: 'restarters.net', type: 'TXT', expect: ['google-site-verification=abc', 'v=spf1 include:mailgun.org ~all'], resolvers: [fresh.address] });
    const txt = await failure(runStep(dnsCheck, { name: 'restarters.net', type: 'TXT', expect: ['V=SPF1 include:mailgun.org ~all', 'google-site-verification=abc'], resolvers: [fresh.address] }));
    expect(txt.evidence[0]).toMatch(/✗$/);
  });

  it('treats NXDOMAIN as an empty answer: fails a non-empty expectation, passes an empty one', async () => {
    const err = await failure(runStep(dnsCheck, { name: 'map.restarters.net', expect: ['66.241.124.187'], resolvers: [fresh.address] }));
    expect(err.evidence).toEqual([`${fresh.address}: (NXDOMAIN) ✗`]); // no records, no TTL
    await runStep(dnsCheck, { name: 'map.restarters.net', expect: [], resolvers: [fresh.address] });
  });

  it('fails, not passes, when a resolver does not answer (even for an empty expectation)', async () => {
    const gone = await startDnsServer({ zone: 'restarters.net' });
    await gone.close();
    const err = await failure(runStep(dnsCheck, { name: 'map.restarters.net', expect: [], resolvers: [gone.address] }));
    expect(err.evidence[0]).toMatch(new RegExp(`^${gone.address}: error: .* ✗$`));
  });

  it('validates its input: record type, values of that type, resolver addresses', () => {
    expect(() => dnsCheck.input.parse({ name: 'restarters.net', type: 'MX', expect: [] })).toThrow();
    expect(() => dnsCheck.input.parse({ name: 'restarters.net', type: 'A', expect: ['2a09:8280:1::ce:b85f:0'] })).toThrow(/not an A value/);
    expect(() => dnsCheck.input.parse({ name: 'restarters.net', expect: ['1.2.3.4'], resolvers: ['dns.google'] })).toThrow(/ip:port/);
    expect(dnsCheck.input.parse({ name: 'restarters.net', expect: ['1.2.3.4'], resolvers: ['[2606:4700:4700::1111]:53', '8.8.8.8:53'] }).type).toBe('A');
  });
});
