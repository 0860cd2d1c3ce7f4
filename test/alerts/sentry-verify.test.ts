// Signature over the raw bytes: the reference's worked example, and why re-serialized JSON fails.
import { describe, expect, it } from 'vitest';
import { signSentryBody, verifySentrySignature } from '../../src/alerts/sentry/verify.js';
import { CLIENT_SECRET, issue, sentryWire } from './sentry-fixtures.js';

// slack-sentry.md §6.1: secret test-client-secret; Sentry escapes é as \u00e9.
const RAW = '{"action":"created","installation":{"uuid":"a8e5d37a-696c-4c54-adb5-b3f28d64c7de"},"data":{"issue":{"id":"1170820242","title":"caf\\u00e9 error"}},"actor":{"type":"application","id":"sentry","name":"Sentry"}}';
const SENT = '60fb587a1767a1873f9d58e2a1a8737a3712f6f8ae875dc4582c5cf7f6782b71';
const RESERIALIZED = '4481ee94fb3a63442b86a0309f8923e8c4b7c7e9512590b6945c1bc321b92398';

describe('verifySentrySignature', () => {
  it('matches the reference vector over the raw bytes and refuses the re-serialized one', () => {
    expect(signSentryBody(CLIENT_SECRET, RAW)).toBe(SENT);
    expect(verifySentrySignature(CLIENT_SECRET, Buffer.from(RAW), SENT)).toBe(true);
    const js = JSON.stringify(JSON.parse(RAW));
    expect(js).toContain('café');
    expect(signSentryBody(CLIENT_SECRET, js)).toBe(RESERIALIZED);
    expect(verifySentrySignature(CLIENT_SECRET, Buffer.from(RAW), RESERIALIZED)).toBe(false);
  });

  it('refuses missing, malformed, wrong-secret, prefixed and truncated signatures', () => {
    const raw = Buffer.from(sentryWire(issue('created', { title: 'Ошибка: naïve café 🚨' })));
    const good = signSentryBody(CLIENT_SECRET, raw);
    expect(verifySentrySignature(CLIENT_SECRET, raw, good)).toBe(true);
    expect(verifySentrySignature(CLIENT_SECRET, raw, good.toUpperCase())).toBe(true);
    for (const bad of [undefined, '', 'zz', good.slice(0, 62), `sha256=${good}`, `${good}00`, signSentryBody('other-secret', raw), [good]]) {
      expect(verifySentrySignature(CLIENT_SECRET, raw, bad as string | undefined)).toBe(false);
    }
    const flipped = Buffer.from(raw);
    flipped[flipped.length - 2] ^= 1;
    expect(verifySentrySignature(CLIENT_SECRET, flipped, good)).toBe(false);
  });
});
