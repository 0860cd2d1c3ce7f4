// Sentry-Hook-Signature: lowercase hex HMAC-SHA256 of the raw request bytes, keyed with the
// integration's client secret. Checked over the bytes as received, before any JSON parsing:
// re-serialized JSON differs (Sentry escapes non-ASCII as \uXXXX, Python writes 1000.0).
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

export function signSentryBody(secret: string, raw: Buffer | string): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

/** True only when `signature` is the HMAC of exactly these bytes; missing or malformed → false. */
export function verifySentrySignature(secret: string, raw: Buffer, signature: string | string[] | undefined): boolean {
  if (typeof signature !== 'string' || !HEX_SHA256.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
