// HTTP probing and expectation matching, shared by http.check and http.request (and later by
// health monitors), so it knows nothing about steps: a request goes out, an observation comes
// back, and `matchHttp` says which expectations failed, in words fit for a thread message.
import { z } from 'zod';
import { isJsonPath, readJsonPath } from './json-path.js';

const Regex = z.string().refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const HttpExpect = z.strictObject({
  /** One status or a list; when absent the caller's default applies (200, or any 2xx). */
  status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]).optional(),
  /** Header name (any case) → regex the value must match; a missing header fails. */
  headers: z.record(z.string().min(1), Regex).default({}),
  /** Regex the body must match. */
  body: Regex.optional(),
  /** JSON path → expected value. */
  json: z
    .record(z.string().refine(isJsonPath, 'not a JSON path (use e.g. data.items[0].id)'), z.unknown())
    .default({}),
});
export type HttpExpect = z.output<typeof HttpExpect>;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface HttpProbeRequest {
  url: string;
  method: HttpMethod;
  headers?: Record<string, string>;
  body?: string;
  followRedirects: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type HttpObservation =
  | { ok: true; status: number; headers: Record<string, string>; body: string; latencyMs: number; url: string }
  | { ok: false; error: string; latencyMs: number; url: string };

/** Bodies are matched in full up to this size; larger ones are cut (a smoke test never needs more). */
const MAX_BODY = 1 << 20;

/**
 * Sends one request. Network errors and the request timeout become `{ok: false}`; an abort of
 * `signal` (run aborted, step timeout) is rethrown so the caller stops instead of retrying.
 */
export async function httpProbe(request: HttpProbeRequest): Promise<HttpObservation> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // Node's fetch returns the real 3xx response in manual mode, which is what a 301 check needs.
      redirect: request.followRedirects ? 'follow' : 'manual',
      signal,
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    return { ok: true, status: response.status, headers, body: text.slice(0, MAX_BODY), latencyMs: latency(), url: response.url || request.url };
  } catch (err) {
    if (request.signal?.aborted) throw request.signal.reason;
    const error = timeout.aborted ? `no response within ${request.timeoutMs}ms` : describeFetchError(err);
    return { ok: false, error, latencyMs: latency(), url: request.url };
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

export type StatusDefault = number | '2xx';

export interface HttpMatch {
  ok: boolean;
  /** One line per unmet expectation ("expected status 200, got 503"). */
  failures: string[];
  /** Values of the headers named in `expect.headers` that were present. */
  matchedHeaders: Record<string, string>;
  /** Parsed JSON body, when the body was JSON. */
  json?: unknown;
}

export function matchHttp(expect: HttpExpect, observation: HttpObservation, statusDefault: StatusDefault): HttpMatch {
  if (!observation.ok) return { ok: false, failures: [observation.error], matchedHeaders: {} };
  const failures: string[] = [];
  const matchedHeaders: Record<string, string> = {};
  const { status } = observation;

  const allowed = expect.status === undefined ? statusDefault : expect.status;
  const statusOk = allowed === '2xx' ? status >= 200 && status < 300 : [allowed].flat().includes(status);
  if (!statusOk) {
    const wanted = allowed === '2xx' ? 'a 2xx status' : `status ${[allowed].flat().join(' or ')}`;
    const location = observation.headers.location ? ` (location: ${observation.headers.location})` : '';
    failures.push(`expected ${wanted}, got ${status}${location}`);
  }

  for (const [name, pattern] of Object.entries(expect.headers)) {
    const value = observation.headers[name.toLowerCase()];
    if (value === undefined) failures.push(`header ${name.toLowerCase()} missing`);
    else {
      matchedHeaders[name.toLowerCase()] = value;
      if (!new RegExp(pattern).test(value)) failures.push(`header ${name.toLowerCase()}: "${value}" does not match /${pattern}/`);
    }
  }

  if (expect.body !== undefined && !new RegExp(expect.body).test(observation.body)) {
    failures.push(`body does not match /${expect.body}/ (body starts: ${JSON.stringify(observation.body.slice(0, 120))})`);
  }

  let json: unknown;
  try {
    json = JSON.parse(observation.body);
  } catch {
    json = undefined;
  }
  const jsonChecks = Object.entries(expect.json);
  if (jsonChecks.length && json === undefined) failures.push(`body is not JSON (starts: ${JSON.stringify(observation.body.slice(0, 80))})`);
  else {
    for (const [path, expected] of jsonChecks) {
      const found = readJsonPath(json, path);
      if (!found.found) failures.push(`json ${path}: missing (nothing at ${found.missingAt})`);
      else if (!sameJsonValue(found.value, expected)) {
        failures.push(`json ${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(found.value)}`);
      }
    }
  }
  return { ok: failures.length === 0, failures, matchedHeaders, json };
}

/**
 * Deep equality, lenient on scalars' types: runbook values often arrive as strings after
 * `${{ }}` resolution, so `"3"` matches `3` and `"true"` matches `true` (but not `"yes"`).
 */
export function sameJsonValue(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((v, i) => sameJsonValue(v, expected[i]));
  }
  if (isPlainObject(actual) && isPlainObject(expected)) {
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => Object.hasOwn(actual, k) && sameJsonValue(actual[k], expected[k]));
  }
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  return scalar(actual) && scalar(expected) && String(actual) === String(expected);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** "GET https://x/ → 200 in 42ms" */
export function describeObservation(method: string, observation: HttpObservation): string {
  return observation.ok
    ? `${method} ${observation.url} → ${observation.status} in ${observation.latencyMs}ms`
    : `${method} ${observation.url} → ${observation.error} after ${observation.latencyMs}ms`;
}
