// GitHub App authentication in the stand-in: verifies the app's JWT (RS256, iss = app id,
// not expired, issued no more than 10 minutes before it expires) with the app's public key and
// mints an installation token valid for one hour.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

export interface AppOptions {
  appId: string;
  slug: string;
  installationId: number;
  /** PEM of the app's public key (the test keeps the private half). */
  publicKey: string;
}

export interface MintedToken {
  token: string;
  expiresAt: number;
}

const b64url = (s: string) => Buffer.from(s, 'base64url');

/** Checks a JWT; returns the problem in GitHub's words, or null when it is valid. */
export function checkAppJwt(jwt: string, app: AppOptions, now = Date.now()): string | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return 'A JSON web token could not be decoded';
  let header: { alg?: string };
  let claims: { iss?: unknown; iat?: number; exp?: number };
  try {
    header = JSON.parse(b64url(parts[0]!).toString('utf8'));
    claims = JSON.parse(b64url(parts[1]!).toString('utf8'));
  } catch {
    return 'A JSON web token could not be decoded';
  }
  if (header.alg !== 'RS256') return "'alg' must be RS256";
  const key: KeyObject = createPublicKey(app.publicKey);
  if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, b64url(parts[2]!))) return 'A JSON web token could not be decoded';
  if (String(claims.iss) !== app.appId) return "'Issuer' claim ('iss') must be an Integer";
  const seconds = Math.floor(now / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  if (typeof claims.iat !== 'number' || claims.iat > seconds + 60 || claims.exp - claims.iat > 600) return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
  return null;
}

export function mintInstallationToken(now = Date.now()): MintedToken {
  return { token: `ghs_${randomBytes(18).toString('base64url')}`, expiresAt: now + 3600_000 };
}
