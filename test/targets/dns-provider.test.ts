import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsProvider, type DnsProvider } from '../../targets/dns-provider.js';
import { startDnsServer, type DnsServer } from '../../targets/dns-server.js';

let dns: DnsServer;
let provider: DnsProvider;
const auth = { authorization: 'Bearer s3cret' };

beforeAll(async () => {
  dns = await startDnsServer({ zone: 'restarters.net', records: [{ name: '@', type: 'A', values: ['139.59.184.196'] }] });
  provider = await startDnsProvider({ dns, token: 's3cret' });
});
afterAll(async () => {
  await provider.close();
  await dns.close();
});

describe('startDnsProvider', () => {
  it('rejects requests without the right Bearer token and counts them', async () => {
    const none = await fetch(`${provider.url}/v1/zones/restarters.net/records/@/A`);
    const wrong = await fetch(`${provider.url}/v1/zones/restarters.net/records/@/A`, { headers: { authorization: 'Bearer nope' } });
    expect([none.status, wrong.status]).toEqual([401, 401]);
    expect(provider.unauthorized()).toBe(2);
  });

  it('reads records and changes them on the DNS server, recording each change', async () => {
    const get = await fetch(`${provider.url}/v1/zones/restarters.net/records/@/A`, { headers: auth });
    expect(await get.json()).toEqual({ name: 'restarters.net', type: 'A', values: ['139.59.184.196'], ttl: 300 });

    const put = await fetch(`${provider.url}/v1/zones/restarters.net/records/restarters.net/A`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ values: ['66.241.124.187'], ttl: 60 }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ values: ['66.241.124.187'], change_id: 'chg-1' });

    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
    expect(await resolver.resolve4('restarters.net')).toEqual(['66.241.124.187']);
    expect(provider.changes()).toMatchObject([{ name: 'restarters.net', type: 'A', before: ['139.59.184.196'], after: ['66.241.124.187'], ttl: 60 }]);
  });

  it('refuses bad bodies, invalid values, unknown zones and types without changing anything', async () => {
    const put = (path: string, body: string) =>
      fetch(`${provider.url}${path}`, { method: 'PUT', headers: auth, body }).then((r) => r.status);
    expect(await put('/v1/zones/restarters.net/records/@/A', 'not json')).toBe(400);
    expect(await put('/v1/zones/restarters.net/records/@/A', JSON.stringify({ values: ['999.1.1.1'] }))).toBe(400);
    expect(await put('/v1/zones/example.com/records/@/A', JSON.stringify({ values: ['1.1.1.1'] }))).toBe(404);
    expect(await put('/v1/zones/restarters.net/records/@/MX', JSON.stringify({ values: ['mx'] }))).toBe(400);
    expect(provider.changes()).toHaveLength(1);
    const missing = await fetch(`${provider.url}/v1/zones/restarters.net/records/talk/A`, { headers: auth });
    expect(missing.status).toBe(404);
  });
});
