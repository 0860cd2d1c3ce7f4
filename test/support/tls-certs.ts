// Certificates for TLS tests, made by the openssl CLI in a temp dir (no network): a CA and leaf
// certificates with chosen names and validity dates (past ones too, through `openssl ca`), and a
// local TLS server presenting one of them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export interface TestCa {
  dir: string;
  caFile: string;
  /** A leaf for `names` (DNS or IP), valid from..to (`YYYYMMDDHHMMSSZ`). */
  issue(opts: { cn: string; names: string[]; from: string; to: string }): { key: string; cert: string };
  close(): void;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
/** openssl dates relative to now, in days. */
export const daysFromNow = (days: number) => stamp(Date.now() + days * 86_400_000);

export function makeCa(subject = "/CN=R11 test/O=Let's Encrypt (test)"): TestCa {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tzero-tls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', subject);
  let n = 0;
  return {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    issue({ cn, names, from, to }) {
      const id = `leaf${n++}`;
      const san = names.map((x) => (/^[\d.]+$/.test(x) ? `IP:${x}` : `DNS:${x}`)).join(',');
      writeFileSync(path.join(dir, `${id}.cnf`), [
        '[ ca ]', 'default_ca = d', '[ d ]', 'dir = .', 'database = ./index.txt', 'new_certs_dir = .', 'serial = ./serial',
        'default_md = sha256', 'policy = p', 'unique_subject = no', '[ p ]', 'commonName = supplied',
        '[ ext ]', `subjectAltName = ${san}`, 'basicConstraints = CA:FALSE', '',
      ].join('\n'));
      run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${cn}`);
      run('ca', '-batch', '-config', `${id}.cnf`, '-keyfile', 'ca.key', '-cert', 'ca.crt', '-in', `${id}.csr`, '-out', `${id}.crt`, '-startdate', from, '-enddate', to, '-extensions', 'ext', '-notext');
      return { key: readFileSync(path.join(dir, `${id}.key`), 'utf8'), cert: readFileSync(path.join(dir, `${id}.crt`), 'utf8') };
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsServer {
  port: number;
  /** SNI names the clients asked for, in order. */
  servernames: (string | false)[];
  close(): Promise<void>;
}

export async function startTlsServer(leaf: { key: string; cert: string }): Promise<TlsServer> {
  const servernames: (string | false)[] = [];
  const server = tls.createServer({ key: leaf.key, cert: leaf.cert }, (socket) => {
    servernames.push((socket as tls.TLSSocket & { servername?: string | false }).servername ?? false);
    socket.end();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    servernames,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
