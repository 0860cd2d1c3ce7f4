// One DNS question to one resolver (or the system's), with a per-query timeout, and the
// comparison rules of dns.check: order-insensitive sets, names compared without case or
// trailing dot, IPv6 compared in a normal form.
import { Resolver } from 'node:dns/promises';
import net from 'node:net';

export const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;
export type DnsType = (typeof DNS_TYPES)[number];

export interface DnsAnswer {
  /** The resolver as given ("8.8.8.8", "127.0.0.1:5353"), or "system". */
  resolver: string;
  /** Answer values as received (TXT chunks joined); empty for NXDOMAIN / no data. */
  values: string[];
  /** Set when the resolver did not answer usefully (timeout, refused, SERVFAIL). */
  error?: string;
  /** NXDOMAIN or no record of that type: an answer, not an error. */
  empty?: 'NXDOMAIN' | 'NODATA';
}

export interface DnsQuery {
  name: string;
  type: DnsType;
  /** `ip`, `ip:port` or `[ipv6]:port`; undefined = the system's resolvers. */
  resolver?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** `ip`, `ip:port`, `[ipv6]` or `[ipv6]:port` (the forms `Resolver.setServers` takes). */
export function isResolverAddress(text: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return net.isIPv6(bracketed[1]!) && validPort(bracketed[2]);
  if (net.isIP(text)) return true;
  const withPort = /^([^:]+):(\d{1,5})$/.exec(text);
  return !!withPort && net.isIPv4(withPort[1]!) && validPort(withPort[2]);
}

function validPort(port: string | undefined): boolean {
  return port === undefined || (Number(port) > 0 && Number(port) < 65536);
}

export async function queryDns(query: DnsQuery): Promise<DnsAnswer> {
  const label = query.resolver ?? 'system';
  // tries: 1 so the timeout is the whole budget of this query; the caller's polling retries.
  const resolver = new Resolver({ timeout: query.timeoutMs, tries: 1 });
  if (query.resolver) resolver.setServers([query.resolver]);
  const onAbort = () => resolver.cancel();
  query.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    query.signal?.throwIfAborted();
    return { resolver: label, values: await resolve(resolver, query.name, query.type) };
  } catch (err) {
    if (query.signal?.aborted) throw query.signal.reason;
    const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
    if (code === 'ENOTFOUND') return { resolver: label, values: [], empty: 'NXDOMAIN' };
    if (code === 'ENODATA') return { resolver: label, values: [], empty: 'NODATA' };
    return { resolver: label, values: [], error: code === 'ETIMEOUT' ? `no answer within ${query.timeoutMs}ms` : code };
  } finally {
    query.signal?.removeEventListener('abort', onAbort);
  }
}

async function resolve(resolver: Resolver, name: string, type: DnsType): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

/** The form values are compared in: names lowercased without trailing dot, IPv6 fully expanded. */
export function normalizeDnsValue(type: DnsType, value: string): string {
  const v = type === 'TXT' ? value : value.trim();
  if (type === 'CNAME') return v.toLowerCase().replace(/\.$/, '');
  if (type === 'AAAA') return expandIPv6(v) ?? v.toLowerCase();
  return v;
}

/** Same set of values, ignoring order and duplicates, after normalizing. */
export function sameDnsAnswer(type: DnsType, expected: string[], actual: string[]): boolean {
  const a = new Set(expected.map((v) => normalizeDnsValue(type, v)));
  const b = new Set(actual.map((v) => normalizeDnsValue(type, v)));
  return a.size === b.size && [...a].every((v) => b.has(v));
}

/** "2a09:8280:1::ce:b85f:0" → "2a09:8280:0001:0000:0000:00ce:b85f:0000"; undefined if not IPv6. */
export function expandIPv6(address: string): string | undefined {
  if (!net.isIPv6(address)) return undefined;
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => g.padStart(4, '0')).join(':');
}
