import { Resolver } from 'node:dns/promises';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../targets/dns-server.js';

let dns: DnsServer;
let resolver: Resolver;

beforeAll(async () => {
  dns = await startDnsServer({
    zone: 'restarters.net',
    records: [
      { name: '@', type: 'A', values: ['139.59.184.196'], ttl: 3600 },
      { name: '@', type: 'AAAA', values: ['2a03:b0c0:1:d0::b4e:1'] },
      { name: 'www', type: 'CNAME', values: ['restarters.net'] },
      { name: '_acme-challenge', type: 'TXT', values: ['token-1', 'x'.repeat(300)] },
    ],
  });
  resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dns.address]);
});
afterAll(() => dns.close());

describe('startDnsServer', () => {
  it('answers A, AAAA and TXT with TTLs (long TXT split in 255-byte strings and joined back)', async () => {
    expect(await resolver.resolve4('restarters.net', { ttl: true })).toEqual([{ address: '139.59.184.196', ttl: 3600 }]);
    expect(await resolver.resolve6('restarters.net')).toEqual(['2a03:b0c0:1:d0::b4e:1']);
    const txt = await resolver.resolveTxt('_acme-challenge.restarters.net');
    expect(txt.map((chunks) => chunks.join('')).sort()).toEqual(['token-1', 'x'.repeat(300)]);
    expect(txt.find((c) => c.join('').startsWith('x'))!.map((c) => c.length)).toEqual([255, 45]);
  });

  it('answers CNAME questions and follows the CNAME for A questions; names are case-insensitive', async () => {
    expect(await resolver.resolveCname('WWW.Restarters.NET')).toEqual(['restarters.net']);
    expect(await resolver.resolve4('www.restarters.net')).toEqual(['139.59.184.196']);
  });

  it('says NXDOMAIN for unknown names, no data for a known name without that type, REFUSED outside the zone', async () => {
    await expect(resolver.resolve4('nope.restarters.net')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolveTxt('restarters.net')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve4('example.com')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('serves changed records at once (the DNS switch) and removes them with an empty list', async () => {
    dns.setRecords('restarters.net', 'A', ['66.241.124.187'], 60);
    expect(await resolver.resolve4('restarters.net', { ttl: true })).toEqual([{ address: '66.241.124.187', ttl: 60 }]);
    dns.setRecords('@', 'A', ['66.241.124.187', '66.241.124.188']);
    expect((await resolver.resolve4('restarters.net')).sort()).toEqual(['66.241.124.187', '66.241.124.188']);
    dns.setRecords('_acme-challenge', 'TXT', []);
    await expect(resolver.resolveTxt('_acme-challenge.restarters.net')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(() => dns.setRecords('@', 'A', ['not-an-ip'])).toThrow(/invalid A/);
  });

  it('answers FORMERR to garbage and ignores packets that are responses', async () => {
    const socket = dgram.createSocket('udp4');
    const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0]), dns.port, '127.0.0.1');
    const buf = await reply;
    expect(buf.readUInt16BE(0)).toBe(0x1234);
    expect(buf.readUInt16BE(2) & 0x8000).toBe(0x8000);
    expect(buf.readUInt16BE(2) & 0xf).toBe(1);
    socket.close();
  });
});
