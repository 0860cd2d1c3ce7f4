import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { httpRequest } from '../../src/steps/http-request.js';
import { startDnsProvider, type DnsProvider } from '../../targets/dns-provider.js';
import { startDnsServer, type DnsServer } from '../../targets/dns-server.js';
import { startSite, type Site } from '../../targets/site.js';
import { runStep } from '../support/step-context.js';

let oldSite: Site;
let dns: DnsServer;
let provider: DnsProvider;
beforeAll(async () => {
  oldSite = await startSite({ name: 'old-site' });
  dns = await startDnsServer({ zone: 'restarters.net', records: [{ name: '@', type: 'A', values: ['139.59.184.196'] }] });
  provider = await startDnsProvider({ dns, token: 'dns-token' });
});
afterAll(async () => {
  await Promise.all([oldSite.close(), provider.close()]);
  await dns.close();
});

async function failure(promise: Promise<unknown>): Promise<StepFailure> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepFailure);
  return err as StepFailure;
}

const switchDns = (token: string) => ({
  url: `${provider.url}/v1/zones/restarters.net/records/@/A`,
  method: 'PUT',
  headers: { authorization: 'Bearer ${{ secrets.DNS_API_TOKEN }}' },
  json: { values: ['66.241.124.187'], ttl: 60 },
  expect: { json: { 'values[0]': '66.241.124.187' } },
  outputs: { change_id: 'change_id', first: '$.values[0]' },
  _token: token,
});

describe('http.request', () => {
  it('switches DNS through the provider API and extracts outputs from the JSON response', async () => {
    const { _token, ...input } = switchDns('dns-token');
    const result = await runStep(httpRequest, input, { expressions: { 'secrets.DNS_API_TOKEN': _token } });
    expect(result.outputs).toMatchObject({ change_id: 'chg-1', first: '66.241.124.187', status: 200 });
    expect(provider.changes()).toHaveLength(1);
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
    expect(await resolver.resolve4('restarters.net')).toEqual(['66.241.124.187']);
    expect(result.evidence).toContain('change_id = "chg-1"');
  });

  it('fails on a non-2xx answer (wrong token) with the response as evidence, changing nothing', async () => {
    const { _token, ...input } = switchDns('wrong');
    const before = provider.changes().length;
    const err = await failure(runStep(httpRequest, input, { expressions: { 'secrets.DNS_API_TOKEN': _token } }));
    expect(err.message).toBe('expected a 2xx status, got 401');
    expect(err.evidence).toContain('response: {"error":"unauthorized"}');
    expect(provider.changes()).toHaveLength(before);
  });

  it('POSTs a JSON body by default and puts the old site in maintenance (counted once)', async () => {
    const result = await runStep(httpRequest, { url: `${oldSite.url}/_control/maintenance`, json: { on: true }, expect: { json: { maintenance: true } } });
    expect(result.summary).toMatch(/^HTTP 200 in \d+ms$/);
    expect(oldSite.counts()['POST /_control/maintenance']).toBe(1);
    expect(oldSite.maintenance()).toBe(true);
    oldSite.setMaintenance(false);
  });

  it('sends the request once per attempt: a re-run after a crash reuses the stored response', async () => {
    const checkpoints = new Map<string, unknown>();
    const input = { url: `${oldSite.url}/_control/fail`, json: { on: false } };
    const before = oldSite.counts()['POST /_control/fail'] ?? 0;
    await runStep(httpRequest, input, { checkpoints });
    await runStep(httpRequest, input, { checkpoints });
    expect(oldSite.counts()['POST /_control/fail']! - before).toBe(1);
  });

  it('fails when an output path is missing or a JSON expectation does not hold', async () => {
    const missing = await failure(runStep(httpRequest, { url: `${oldSite.url}/api/health`, outputs: { version: 'build.version' } }));
    expect(missing.message).toBe('output version: nothing at build.version in the response');
    expect(missing.evidence).toContain('missing at $.build');
    const wrong = await failure(runStep(httpRequest, { url: `${oldSite.url}/api/health`, expect: { json: { status: 'down' } } }));
    expect(wrong.message).toBe('json status: expected "down", got "ok"');
    const notJson = await failure(runStep(httpRequest, { url: `${oldSite.url}/robots.txt`, outputs: { x: 'a' } }));
    expect(notJson.message).toBe('output x: the response is not JSON');
  });

  it('uses GET without a body, POST with one, and refuses body and json together', () => {
    expect(httpRequest.describe(httpRequest.input.parse({ url: 'https://fly.example/hook' }))).toBe('GET https://fly.example/hook');
    expect(httpRequest.describe(httpRequest.input.parse({ url: 'https://fly.example/hook', body: 'deploy' }))).toBe('POST https://fly.example/hook with a body');
    expect(() => httpRequest.input.parse({ url: 'https://x.example/', body: 'a', json: {} })).toThrow(/either body or json/);
  });
});
