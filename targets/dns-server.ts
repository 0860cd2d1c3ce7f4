// A real, tiny authoritative DNS server over UDP for tests, the demo and benchmarks: one zone,
// A/AAAA/CNAME/TXT records that can be changed at runtime (the "DNS switch" of a cutover).
// The wire format (RFC 1035) is written by hand: header, question, answers; no compression
// except the pointer back to the question name.
import dgram from 'node:dgram';
import net from 'node:net';

export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'TXT';
const TYPE_CODES: Record<RecordType, number> = { A: 1, CNAME: 5, TXT: 16, AAAA: 28 };
const CODE_TYPES = new Map(Object.entries(TYPE_CODES).map(([t, c]) => [c, t as RecordType]));

export interface ZoneRecord {
  /** Relative ("www", "@") or absolute ("www.example.test") name. */
  name: string;
  type: RecordType;
  values: string[];
  ttl?: number;
}

export interface DnsServerOptions {
  /** The zone this server is authoritative for, e.g. "restarters.net". */
  zone: string;
  records?: ZoneRecord[];
  port?: number;
  /** Default TTL of records set without one. Default 300. */
  ttl?: number;
}

export interface DnsServer {
  zone: string;
  port: number;
  /** "127.0.0.1:<port>", the form dns.check's `resolvers` takes. */
  address: string;
  setRecords(name: string, type: RecordType, values: string[], ttl?: number): void;
  getRecords(name: string, type: RecordType): { values: string[]; ttl: number } | undefined;
  /** Absolute, lowercased name within the zone; throws for names outside it. */
  absoluteName(name: string): string;
  /** Questions answered so far. */
  queries(): number;
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const zone = options.zone.toLowerCase().replace(/\.$/, '');
  const defaultTtl = options.ttl ?? 300;
  const records = new Map<string, Map<RecordType, { values: string[]; ttl: number }>>();
  let answered = 0;

  const absoluteName = (name: string): string => {
    const n = name.toLowerCase().replace(/\.$/, '');
    if (n === '@' || n === zone) return zone;
    if (n.endsWith(`.${zone}`)) return n;
    if (n.includes('.') && !n.endsWith(`.${zone}`) && name.endsWith('.')) throw new Error(`${name} is outside zone ${zone}`);
    return `${n}.${zone}`;
  };
  const setRecords = (name: string, type: RecordType, values: string[], ttl = defaultTtl) => {
    for (const value of values) validateValue(type, value);
    const abs = absoluteName(name);
    const byType = records.get(abs) ?? new Map();
    if (values.length) byType.set(type, { values: [...values], ttl });
    else byType.delete(type);
    if (byType.size) records.set(abs, byType);
    else records.delete(abs);
  };
  for (const r of options.records ?? []) setRecords(r.name, r.type, r.values, r.ttl);

  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, remote) => {
    const reply = answer(message);
    if (reply) socket.send(reply, remote.port, remote.address);
  });

  function answer(query: Buffer): Buffer | undefined {
    if (query.length < 12) return undefined;
    const id = query.readUInt16BE(0);
    const flags = query.readUInt16BE(2);
    if (flags & 0x8000) return undefined; // a response, not a query
    const qdcount = query.readUInt16BE(4);
    const opcode = (flags >> 11) & 0xf;
    const question = readQuestion(query, 12);
    const header = (rcode: number, ancount: number) => {
      const h = Buffer.alloc(12);
      h.writeUInt16BE(id, 0);
      // QR=1, opcode echoed, AA=1, RD echoed, RA=0.
      h.writeUInt16BE(0x8000 | (opcode << 11) | 0x0400 | (flags & 0x0100) | rcode, 2);
      h.writeUInt16BE(question ? 1 : 0, 4);
      h.writeUInt16BE(ancount, 6);
      return h;
    };
    if (!question || qdcount !== 1) return header(RCODE.FORMERR, 0);
    const questionBytes = query.subarray(12, question.end);
    if (opcode !== 0) return Buffer.concat([header(RCODE.NOTIMP, 0), questionBytes]);
    answered++;
    const name = question.name.toLowerCase();
    if (name !== zone && !name.endsWith(`.${zone}`)) return Buffer.concat([header(RCODE.REFUSED, 0), questionBytes]);

    const type = CODE_TYPES.get(question.type);
    const answers: Buffer[] = [];
    // Follow CNAMEs inside the zone, like an authoritative server does for A/AAAA/TXT questions.
    let current = name;
    for (let hops = 0; hops < 8; hops++) {
      const byType = records.get(current);
      if (!byType) break;
      const exact = type ? byType.get(type) : undefined;
      const owner = current === name ? Buffer.from([0xc0, 0x0c]) : encodeName(current);
      if (exact) {
        for (const value of exact.values) answers.push(resourceRecord(owner, type!, value, exact.ttl));
        break;
      }
      const cname = byType.get('CNAME');
      if (!cname || type === 'CNAME') break;
      answers.push(resourceRecord(owner, 'CNAME', cname.values[0]!, cname.ttl));
      current = cname.values[0]!.toLowerCase().replace(/\.$/, '');
    }
    const rcode = answers.length || records.has(name) ? RCODE.NOERROR : RCODE.NXDOMAIN;
    return Buffer.concat([header(rcode, answers.length), questionBytes, ...answers]);
  }

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = socket.address().port;

  return {
    zone,
    port,
    address: `127.0.0.1:${port}`,
    setRecords,
    getRecords: (name, type) => {
      const r = records.get(absoluteName(name))?.get(type);
      return r && { values: [...r.values], ttl: r.ttl };
    },
    absoluteName,
    queries: () => answered,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function readQuestion(buf: Buffer, offset: number): { name: string; type: number; end: number } | undefined {
  const labels: string[] = [];
  let i = offset;
  while (i < buf.length) {
    const len = buf[i]!;
    if (len === 0) break;
    if (len & 0xc0) return undefined; // no compression in questions
    labels.push(buf.toString('latin1', i + 1, i + 1 + len));
    i += 1 + len;
  }
  if (i + 5 > buf.length) return undefined;
  return { name: labels.join('.'), type: buf.readUInt16BE(i + 1), end: i + 5 };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}

function resourceRecord(owner: Buffer, type: RecordType, value: string, ttl: number): Buffer {
  let data: Buffer;
  if (type === 'A') data = Buffer.from(value.split('.').map(Number));
  else if (type === 'AAAA') data = ipv6Bytes(value);
  else if (type === 'CNAME') data = encodeName(value);
  else {
    // TXT: one or more <length><bytes> strings of at most 255 bytes each.
    const bytes = Buffer.from(value, 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length || i === 0; i += 255) {
      const chunk = bytes.subarray(i, i + 255);
      chunks.push(Buffer.from([chunk.length]), chunk);
    }
    data = Buffer.concat(chunks);
  }
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_CODES[type], 0);
  fixed.writeUInt16BE(1, 2); // class IN
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([owner, fixed, data]);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function validateValue(type: RecordType, value: string): void {
  const ok =
    type === 'A' ? net.isIPv4(value) : type === 'AAAA' ? net.isIPv6(value) && !value.includes('.') : type === 'CNAME' ? /^[a-z0-9.-]+\.?$/i.test(value) : true;
  if (!ok) throw new Error(`invalid ${type} value: ${value}`);
}
