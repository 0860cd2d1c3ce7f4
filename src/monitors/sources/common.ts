// Helpers every source shares: URLs from the environment, errors without secrets, numbers.
import type { EnvLookup } from '../load.js';

/** Reads a connection URL from the environment; the error names the variable, never a value. */
export function urlFrom(env: EnvLookup, name: string): string {
  const url = env(name);
  if (!url) throw new Error(`environment variable ${name} is not set`);
  return url;
}

/** Drivers sometimes echo the connection string or password in errors: cut them out. */
export function redactError(err: unknown, url: string): string {
  let message = err instanceof Error ? err.message : String(err);
  const secrets = [url];
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) secrets.push(password, new URL(url).password);
  } catch {
    // not a URL: the whole string is the only secret we know
  }
  for (const secret of secrets) if (secret) message = message.split(secret).join('[redacted]');
  return message;
}

/** One numeric value or a clear error: a count(*) arrives as a number or a numeric string. */
export function toDepth(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'bigint' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new Error(`${what} is not a number: ${JSON.stringify(value)?.slice(0, 80)}`);
  return n;
}
