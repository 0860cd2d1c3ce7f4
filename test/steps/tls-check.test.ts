// tls.check against local TLS servers with certificates this test makes: valid, expired, wrong
// name, too close to expiry, wrong issuer, and an unverified chain.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { tlsCheck } from '../../src/steps/tls-check.js';
import { rejection, runStep } from '../support/step-context.js';
import { daysFromNow, makeCa, startTlsServer, type TestCa, type TlsServer } from '../support/tls-certs.js';

let ca: TestCa;
let servers: Record<'valid' | 'expired' | 'wrongName' | 'soon', TlsServer>;

beforeAll(async () => {
  ca = makeCa();
  const leaf = (names: string[], from: number, to: number) => ca.issue({ cn: names[0]!, names, from: daysFromNow(from), to: daysFromNow(to) });
  servers = {
    valid: await startTlsServer(leaf(['restarters.net', '*.restarters.net'], -1, 90)),
    expired: await startTlsServer(leaf(['restarters.net', '*.restarters.net'], -100, -10)),
    wrongName: await startTlsServer(leaf(['old.example.org'], -1, 90)),
    soon: await startTlsServer(leaf(['restarters.net'], -80, 5)),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
  ca?.close();
});

const check = (server: TlsServer, extra: Record<string, unknown> = {}) =>
  runStep(tlsCheck, { host: '127.0.0.1', port: server.port, servername: 'restarters.net', ca_file: ca.caFile, ...extra });

describe('tls.check', () => {
  it('passes a valid certificate covering the names, and records subject, SANs, issuer, notAfter, days left, chain', async () => {
    const result = await check(servers.valid, { names: ['restarters.net', 'www.restarters.net'], issuer: "Let's Encrypt" });
    await vi.waitFor(() => expect(servers.valid.servernames.at(-1)).toBe('restarters.net'));
    expect(result.outputs).toMatchObject({ subject: 'CN=restarters.net', sans: ['restarters.net', '*.restarters.net'], chain_verified: true });
    expect(result.outputs?.days_left).toBeGreaterThanOrEqual(88);
    expect(result.outputs?.issuer).toMatch(/CN=R11 test, O=Let's Encrypt \(test\)/);
    expect(result.evidence).toEqual([
      'subject: CN=restarters.net',
      'SANs: restarters.net, *.restarters.net',
      expect.stringMatching(/^issuer: CN=R11 test/),
      expect.stringMatching(/^notAfter: \d{4}-.*Z \(\d+ days left\)$/),
      'chain: verified',
    ]);
  });

  it('fails an expired certificate, saying how long ago it expired', async () => {
    const err = await rejection(check(servers.expired), StepFailure);
    expect(err.message).toMatch(/expired 1\d days ago/);
    expect(err.facts).toMatchObject({ subject: 'CN=restarters.net', chain_verified: false, problems: [expect.stringMatching(/^expired/), expect.stringMatching(/^chain not verified/)] });
    expect(err.evidence).toContainEqual(expect.stringMatching(/^chain: not verified \(CERT_HAS_EXPIRED\)$/));
  });

  it('fails a certificate for the wrong name, naming what it does not cover', async () => {
    const err = await rejection(check(servers.wrongName), StepFailure);
    expect(err.message).toMatch(/does not cover restarters\.net$/);
    expect(err.evidence).toContain('SANs: old.example.org');
  });

  it('applies wildcard rules: one label only, not the apex of another name', async () => {
    await check(servers.valid, { names: ['www.restarters.net', 'api.restarters.net'] });
    const err = await rejection(check(servers.valid, { names: ['a.b.restarters.net', 'restarters.org'] }), StepFailure);
    expect(err.message).toMatch(/does not cover a\.b\.restarters\.net, restarters\.org/);
  });

  it('fails too few days left, a wrong issuer, and an unverified chain unless verify_chain is false', async () => {
    expect((await rejection(check(servers.soon), StepFailure)).message).toMatch(/only [45] days left, fewer than min_days_valid 14/);
    await check(servers.soon, { min_days_valid: 3 });
    expect((await rejection(check(servers.valid, { issuer: '^CN=R3, O=DigiCert' }), StepFailure)).message).toMatch(/does not match \/\^CN=R3, O=DigiCert\//);
    const untrusted = { ca_file: undefined };
    expect((await rejection(check(servers.valid, untrusted), StepFailure)).message).toMatch(/chain not verified: UNABLE_TO_VERIFY_LEAF_SIGNATURE|chain not verified: unable/);
    const recorded = await check(servers.valid, { ...untrusted, verify_chain: false });
    expect(recorded.outputs?.chain_verified).toBe(false);
  });

  it('fails when nothing answers', async () => {
    const closed = await startTlsServer(ca.issue({ cn: 'x', names: ['x'], from: daysFromNow(-1), to: daysFromNow(1) }));
    await closed.close();
    expect((await rejection(check(closed), StepFailure)).message).toMatch(/TLS to 127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/);
  });
});
