// A health monitor's state machine. Each probe result goes through one Lua script, so replicas
// (or a re-delivered job) never double-count: `down_after` consecutive failures → one "down"
// alert; while down, nothing more per probe; `up_after` consecutive successes → one recovery.
// Both thresholds damp flapping: a lone failure or a lone success changes nothing.
import type { Redis } from 'ioredis';
import type { AlertEvent, AlertInbox } from '../alerts/types.js';
import { httpProbe, matchHttp } from '../lib/http-expect.js';
import { formatDuration } from '../runbooks/duration.js';
import type { HealthMonitor } from './schema.js';
import { redactError } from './sources/common.js';
import { deliverPending, displayUrl, iso, LUA_PUSH, monitorKeys, type TransitionBase } from './state.js';

// KEYS: state hash, pending list. ARGV: ok (1/0), now, down_after, up_after, error, status.
const EVALUATE = `${LUA_PUSH}
local s = KEYS[1]
local now = tonumber(ARGV[2])
local down = redis.call('HGET', s, 'down') == '1'
if ARGV[1] == '1' then
  redis.call('HSET', s, 'fails', 0, 'lastGoodStatus', ARGV[6], 'lastGoodAt', now)
  if not down then
    redis.call('HDEL', s, 'firstFailAt')
    return false
  end
  if redis.call('HINCRBY', s, 'oks', 1) < tonumber(ARGV[4]) then return false end
  local since = tonumber(redis.call('HGET', s, 'firstFailAt'))
  redis.call('HSET', s, 'down', 0, 'oks', 0)
  redis.call('HDEL', s, 'firstFailAt')
  return push({ kind = 'recovered', downSince = since, error = redis.call('HGET', s, 'lastError') })
end
redis.call('HSET', s, 'oks', 0, 'lastError', ARGV[5])
redis.call('HSETNX', s, 'firstFailAt', now)
local fails = redis.call('HINCRBY', s, 'fails', 1)
if down or fails < tonumber(ARGV[3]) then return false end
redis.call('HSET', s, 'down', 1)
local h = redis.call('HMGET', s, 'firstFailAt', 'lastGoodStatus', 'lastGoodAt')
return push({ kind = 'down', downSince = tonumber(h[1]), error = ARGV[5], fails = fails,
  lastGoodStatus = tonumber(h[2]), lastGoodAt = tonumber(h[3]) })
`;

export interface HealthTransition extends TransitionBase {
  kind: 'down' | 'recovered';
  downSince: number;
  error: string;
  fails?: number;
  lastGoodStatus?: number;
  lastGoodAt?: number;
}

export interface HealthDeps {
  redis: Redis;
  keyPrefix: string;
  inbox: AlertInbox;
}

export interface HealthResult {
  ok: boolean;
  error?: string;
  /** Events handed to the inbox by this evaluation (a transition, or older undelivered ones). */
  events: AlertEvent[];
}

/** Probes once, records the result and delivers any down/recovery event. */
export async function runHealthMonitor(deps: HealthDeps, monitor: HealthMonitor, signal?: AbortSignal): Promise<HealthResult> {
  const { url, headers } = withoutCredentials(monitor.url);
  const observation = await httpProbe({ url, headers, method: 'GET', followRedirects: false, timeoutMs: monitor.timeout, signal });
  const match = matchHttp(monitor.expect, observation, 200);
  const error = match.ok ? '' : redactError(match.failures.join('; '), monitor.url);
  const status = observation.ok ? observation.status : 0;
  const key = monitorKeys(deps.keyPrefix).health(monitor.id);
  await deps.redis.eval(EVALUATE, 2, key, `${key}:pending`, match.ok ? 1 : 0, Date.now(), monitor.down_after, monitor.up_after, error, status);
  const events = await deliverPending<HealthTransition>(deps.redis, key, deps.inbox, (t) => healthEvent(monitor, t));
  return { ok: match.ok, error: error || undefined, events };
}

/** fetch refuses user:password@ in a URL: send it as Basic auth instead, and keep it out of errors. */
function withoutCredentials(raw: string): { url: string; headers?: Record<string, string> } {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw };
  const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { url: u.toString(), headers: { authorization: `Basic ${basic}` } };
}

export function healthEvent(monitor: HealthMonitor, t: HealthTransition): AlertEvent {
  const fingerprint = `health:${monitor.id}`;
  const base = { id: `${fingerprint}:${t.seq}:${t.kind}`, source: 'health' as const, fingerprint, group: fingerprint, monitor: monitor.id, at: t.at, downSince: t.downSince, url: displayUrl(monitor.url) };
  if (t.kind === 'down') {
    const lastGood = t.lastGoodAt ? `last good response ${t.lastGoodStatus} at ${iso(t.lastGoodAt)}` : 'no good response seen yet';
    return {
      ...base,
      status: 'firing',
      severity: 'critical',
      title: `${monitor.id} is down`,
      details: [`first failure ${iso(t.downSince)}`, `error ${t.error}`, `${t.fails} failed checks in a row`, lastGood],
    };
  }
  return {
    ...base,
    status: 'resolved',
    severity: 'info',
    title: `${monitor.id} recovered after ${formatDuration(t.at - t.downSince)}`,
    details: [`down for ${formatDuration(t.at - t.downSince)} (since ${iso(t.downSince)})`, `last error ${t.error}`],
  };
}
