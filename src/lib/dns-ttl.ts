// The TTLs a resolver gives with its answer. Node's resolver hides TTLs for CNAME and TXT, so
// this asks once more over UDP with a minimal DNS message (RFC 1035) and reads the TTL of every
// answer record, CNAMEs on the way included.
import dgram from 'node:dgram';
import { getServers } from 'node:dns';
import { randomInt } from 'node:crypto';
import net from 'node:net';
import type { DnsType } from './dns-query.js';

const TYPE_CODE: Record<DnsType, number> = { A: 1, AAAA: 28, CNAME: 5, TXT: 16 };

/** "1.1.1.1", "127.0.0.1:5353", "[::1]:53", "::1" → host and port. */
export function resolverEndpoint(resolver: string | undefined): { host: string; port: number } {
  const text = resolver ?? getServers()[0] ?? '127.0.0.1';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2] ?? 53) };
  if (net.isIPv6(text)) return { host: text, port: 53 };
  const [host, port] = text.split(':');
  return { host: host!, port: Number(port ?? 53) };
}

export function encodeQuery(id: number, name: string, type: DnsType): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD: recursion desired
  header.writeUInt16BE(1, 4);
  const labels = name.replace(/\.$/, '').split('.').map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)]));
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(TYPE_CODE[type], 0);
  tail.writeUInt16BE(1, 2); // IN
  return Buffer.concat([header, ...labels, Buffer.from([0]), tail]);
}

/** Offset just past a (possibly compressed) name. */
function skipName(msg: Buffer, at: number): number {
  for (;;) {
    const len = msg.readUInt8(at);
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2;
    at += 1 + len;
  }
}

/** TTLs of the answer records of a response to query `id`. */
export function answerTtls(msg: Buffer, id: number): number[] {
  if (msg.length < 12 || msg.readUInt16BE(0) !== id) throw new Error('DNS response does not match the query');
  const rcode = msg.readUInt16BE(2) & 0xf;
  if (rcode !== 0 && rcode !== 3) throw new Error(`DNS error code ${rcode}`);
  let at = 12;
  for (let q = msg.readUInt16BE(4); q > 0; q--) at = skipName(msg, at) + 4;
  const ttls: number[] = [];
  for (let a = msg.readUInt16BE(6); a > 0; a--) {
    at = skipName(msg, at);
    ttls.push(msg.readUInt32BE(at + 4));
    at += 10 + msg.readUInt16BE(at + 8);
  }
  return ttls;
}

/** The TTLs of `name`'s answer at `resolver` (undefined = the system's first resolver). */
export function queryTtls(o: { name: string; type: DnsType; resolver?: string; timeoutMs: number; signal?: AbortSignal }): Promise<number[]> {
  const { host, port } = resolverEndpoint(o.resolver);
  const id = randomInt(0x10000);
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no answer within ${o.timeoutMs}ms`)), o.timeoutMs);
    const onAbort = () => done(new Error('aborted'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (err: Error | null, ttls?: number[]) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (err) reject(err);
      else resolve(ttls!);
    };
    socket.on('error', (err) => done(err));
    socket.on('message', (msg) => {
      if (msg.length < 2 || msg.readUInt16BE(0) !== id) return; // not our answer: keep waiting
      try {
        done(null, answerTtls(msg, id));
      } catch (err) {
        done(err as Error);
      }
    });
    socket.send(encodeQuery(id, o.name, o.type), port, host);
  });
}
