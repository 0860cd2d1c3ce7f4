// The shared helpers the steps stand on (src/lib): JSON paths, expectation matching, DNS value
// comparison, cancellable polling.
import { describe, expect, it } from 'vitest';
import { expandIPv6, isResolverAddress, normalizeDnsValue, sameDnsAnswer } from '../../src/lib/dns-query.js';
import { matchHttp, sameJsonValue, type HttpObservation } from '../../src/lib/http-expect.js';
import { parseJsonPath, readJsonPath } from '../../src/lib/json-path.js';
import { pollUntil, sleep } from '../../src/lib/poll.js';

describe('json path', () => {
  it('reads keys, indices, quoted keys and a leading $', () => {
    const doc = { data: { items: [{ id: 7 }, { id: 8 }], 'x.y': true } };
    expect(readJsonPath(doc, 'data.items[1].id')).toEqual({ found: true, value: 8 });
    expect(readJsonPath(doc, '$.data.items[0]')).toEqual({ found: true, value: { id: 7 } });
    expect(readJsonPath(doc, 'data["x.y"]')).toEqual({ found: true, value: true });
    expect(readJsonPath(doc, '$')).toEqual({ found: true, value: doc });
    expect(readJsonPath(doc, 'data.items[2].id')).toEqual({ found: false, missingAt: '$.data.items[2]' });
    expect(readJsonPath({ a: null }, 'a.b')).toEqual({ found: false, missingAt: '$.a.b' });
    expect(readJsonPath({}, 'constructor')).toEqual({ found: false, missingAt: '$.constructor' });
    expect(() => parseJsonPath('data..items')).toThrow(/cannot read JSON path/);
    expect(() => parseJsonPath('a[x]')).toThrow();
  });
});

describe('http expectations', () => {
  const obs = (status: number, headers: Record<string, string> = {}, body = ''): HttpObservation => ({ ok: true, status, headers, body, latencyMs: 1, url: 'http://x/' });

  it('applies the caller’s status default: 200 for checks, any 2xx for requests', () => {
    const none = { headers: {}, json: {} };
    expect(matchHttp(none, obs(204), 200).failures).toEqual(['expected status 200, got 204']);
    expect(matchHttp(none, obs(204), '2xx').ok).toBe(true);
    expect(matchHttp(none, obs(302, { location: '/login' }), '2xx').failures).toEqual(['expected a 2xx status, got 302 (location: /login)']);
    expect(matchHttp({ ...none, status: [301, 308] }, obs(308), 200).ok).toBe(true);
  });

  it('compares JSON values deeply, lenient only between scalars', () => {
    expect(sameJsonValue(3, '3')).toBe(true);
    expect(sameJsonValue(true, 'true')).toBe(true);
    expect(sameJsonValue(true, 'yes')).toBe(false);
    expect(sameJsonValue({ a: [1, { b: 2 }] }, { a: [1, { b: '2' }] })).toBe(true);
    expect(sameJsonValue({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJsonValue([1, 2], [2, 1])).toBe(false);
    expect(sameJsonValue({}, '[object Object]')).toBe(false);
  });

  it('reports a network error as the only failure', () => {
    expect(matchHttp({ headers: {}, json: {} }, { ok: false, error: 'ECONNREFUSED', latencyMs: 1, url: 'http://x/' }, 200)).toEqual({ ok: false, failures: ['ECONNREFUSED'], matchedHeaders: {} });
  });
});

describe('dns values', () => {
  it('normalizes IPv6 (compressed, upper case, embedded IPv4) and names', () => {
    expect(expandIPv6('2a09:8280:1::ce:b85f:0')).toBe('2a09:8280:0001:0000:0000:00ce:b85f:0000');
    expect(expandIPv6('::1')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(expandIPv6('::FFFF:192.0.2.1')).toBe(expandIPv6('::ffff:c000:201'));
    expect(expandIPv6('1.2.3.4')).toBeUndefined();
    expect(normalizeDnsValue('CNAME', 'Restarters.NET.')).toBe('restarters.net');
    expect(sameDnsAnswer('TXT', ['A'], ['a'])).toBe(false);
  });

  it('accepts resolver addresses with and without ports', () => {
    for (const ok of ['1.1.1.1', '127.0.0.1:5353', '2606:4700:4700::1111', '[2606:4700:4700::1111]:53']) expect(isResolverAddress(ok)).toBe(true);
    for (const bad of ['dns.google', '1.1.1.1:0', '1.1.1.1:70000', '[1.1.1.1]:53', '']) expect(isResolverAddress(bad)).toBe(false);
  });
});

describe('polling', () => {
  it('sleeps cancellably', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('tries once without `within`, and never sleeps past the deadline', async () => {
    const signal = new AbortController().signal;
    let calls = 0;
    const once = await pollUntil({ everyMs: 10, signal }, async () => ({ ok: ++calls > 5 }));
    expect(once.attempts).toBe(1);
    const bounded = await pollUntil({ withinMs: 100, everyMs: 30, signal }, async () => ({ ok: false }));
    expect(bounded.attempts).toBeGreaterThanOrEqual(3);
    expect(bounded.attempts).toBeLessThanOrEqual(4);
    expect(bounded.elapsedMs).toBeLessThan(150);
  });
});
