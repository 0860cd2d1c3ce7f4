// Fetches a server's certificate over TLS and says what it is: subject, names, issuer, validity
// and whether its chain verifies. The name check is separate (checkNames) so evidence can say
// which name is missing rather than one opaque "hostname mismatch".
import net from 'node:net';
import tls from 'node:tls';

export interface CertFacts {
  subject: string;
  /** DNS names and IP addresses from subjectAltName. */
  sans: string[];
  issuer: string;
  notBefore: string;
  notAfter: string;
  fingerprint256: string;
  /** The chain verifies against the trusted CAs (Node's, plus `ca`). Hostname not included. */
  chainVerified: boolean;
  chainError?: string;
  /** The raw certificate, for tls.checkServerIdentity. */
  peer: tls.PeerCertificate;
}

export interface TlsProbe {
  host: string;
  port: number;
  servername?: string;
  /** Extra trusted CA certificates (PEM). */
  ca?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** `CN=R11, O=Let's Encrypt, C=US` from the parsed subject/issuer object. */
export function distinguishedName(dn: tls.Certificate | undefined): string {
  if (!dn) return '';
  return Object.entries(dn).map(([k, v]) => `${k}=${[v].flat().join('+')}`).join(', ');
}

export function probeTls(o: TlsProbe): Promise<CertFacts> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: o.host,
      port: o.port,
      ...(o.servername && !net.isIP(o.servername) ? { servername: o.servername } : {}),
      ...(o.ca ? { ca: [...tls.rootCertificates, o.ca] } : {}),
      rejectUnauthorized: false,
      // The chain only: names are checked one by one in checkNames.
      checkServerIdentity: () => undefined,
    });
    const fail = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`no TLS handshake within ${o.timeoutMs}ms`)), o.timeoutMs);
    const onAbort = () => fail(o.signal!.reason instanceof Error ? o.signal!.reason : new Error('aborted'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      cleanup();
      const peer = socket.getPeerCertificate(false);
      const authError = socket.authorizationError as Error | string | null;
      socket.end();
      if (!peer || !Object.keys(peer).length) return reject(new Error('the server sent no certificate'));
      resolve({
        subject: distinguishedName(peer.subject),
        sans: (peer.subjectaltname ?? '').split(', ').filter(Boolean).map((s) => s.replace(/^(DNS|IP Address):/, '')),
        issuer: distinguishedName(peer.issuer),
        notBefore: new Date(peer.valid_from).toISOString(),
        notAfter: new Date(peer.valid_to).toISOString(),
        fingerprint256: peer.fingerprint256,
        chainVerified: socket.authorized,
        ...(socket.authorized ? {} : { chainError: String(authError ?? 'not verified') }),
        peer,
      });
    });
  });
}

/** Names the certificate does not cover, by the standard rules (one wildcard label, leftmost only). */
export function uncoveredNames(peer: tls.PeerCertificate, names: string[]): string[] {
  return names.filter((name) => tls.checkServerIdentity(name, peer) !== undefined);
}
