// `Authorization: Bearer <token>` checked in constant time. Both sides are hashed first so the
// comparison never depends on (or leaks) the configured token's length.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True only for `Bearer <expected>` (scheme case-insensitive, RFC 9110); missing or malformed → false. */
export function bearerMatches(authorization: string | string[] | undefined, expected: string): boolean {
  if (typeof authorization !== 'string') return false;
  const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!m) return false;
  return timingSafeEqual(digest(m[1]!), digest(expected));
}
