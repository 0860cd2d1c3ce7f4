import { describe, expect, it } from 'vitest';
import { createRedactor, MASK, secretMatcher, StreamRedactor } from '../../src/lib/redact.js';
import { OutputBuffer } from '../../src/engine/output-buffer.js';

const SECRET = 'p@ss w0rd"Zx\\9';

describe('redaction of derived forms', () => {
  const redact = createRedactor([SECRET]);

  it('masks the value as tzero itself derives it: URL-encoded, form-encoded, JSON-escaped, lower-cased', () => {
    const url = new URL(`https://api.example/v1?token=${SECRET}`).href; // what fetch reports
    const forms = [
      SECRET,
      encodeURIComponent(SECRET),
      url,
      new URLSearchParams({ token: SECRET }).toString(),
      JSON.stringify({ token: SECRET }),
      JSON.stringify(JSON.stringify({ token: SECRET })),
      `getaddrinfo ENOTFOUND ${SECRET.toLowerCase()}.example`,
      SECRET.toUpperCase(),
    ];
    for (const text of forms) {
      const out = redact(text);
      expect(out, text).toContain(MASK);
      for (const piece of ['w0rd', 'W0RD', 'ss%20', 'ss+w']) expect(out, text).not.toContain(piece);
    }
    // The issue's own example: `p@ss%20w0rd`.
    expect(createRedactor(['p@ss w0rd'])('https://x/?q=p@ss%20w0rd&z=1')).toBe(`https://x/?q=${MASK}&z=1`);
  });

  it('masks two overlapping secrets whole, and leaves short values and other text alone', () => {
    expect(createRedactor(['ABCD1234', '1234WXYZ'])('xxABCD1234WXYZyy')).toBe(`xx${MASK}yy`);
    expect(createRedactor(['abc'])('abc stays')).toBe('abc stays');
  });
});

describe('redaction across chunk and stream boundaries', () => {
  it('masks a secret split between two writes, at every split point', () => {
    const secret = 'canary-SECRET-4f9a';
    for (let cut = 1; cut < secret.length; cut++) {
      const stream = new StreamRedactor(secretMatcher([secret]));
      const out = stream.push(`before ${secret.slice(0, cut)}`) + stream.push(`${secret.slice(cut)} after`) + stream.end();
      expect(out).toBe(`before ${MASK} after`);
    }
  });

  it('masks a secret split between stdout and stderr in the output buffer, in the stored output and the tail', async () => {
    const secret = 'canary-SECRET-4f9a';
    const stored: string[] = [];
    const tails: string[] = [];
    const buffer = new OutputBuffer(secretMatcher([secret]), async (appended, tail) => {
      stored.push(appended);
      tails.push(tail);
    });
    buffer.push('line 1\ntoken: canary-SEC'); // stdout
    await buffer.flush(); // a flush lands between the two halves
    expect(stored.join('') + tails.join('')).not.toContain('canary-SEC');
    buffer.push('RET-4f9a (from stderr)\n');
    await buffer.end();
    expect(stored.join('')).toBe(`line 1\ntoken: ${MASK} (from stderr)\n`);
    expect(tails.at(-1)).toBe(`line 1\ntoken: ${MASK} (from stderr)`);
    expect(buffer.tail).not.toContain(secret);
  });
});
