// Slack's v0 request signature (reference §1.1): HMAC-SHA256 over "v0:<ts>:<raw body>".
import { createHmac } from 'node:crypto';

export function signatureFor(signingSecret: string, timestamp: number, rawBody: string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return `v0=${hmac}`;
}

/**
 * Headers for a signed form POST. The content type must be exactly this string: Bolt parses
 * anything else (even with "; charset=utf-8") as JSON and answers 400.
 */
export function signedFormHeaders(
  signingSecret: string, rawBody: string, nowMs: number = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signatureFor(signingSecret, timestamp, rawBody),
  };
}
