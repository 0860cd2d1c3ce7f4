// A queue monitor's state machine, one Lua script per reading (atomic across replicas):
// - above + for: fire once when the depth has stayed above `above` for `for` (judged across
//   readings), resolve when a reading is back at or below it;
// - rises_by: every reading that rose by ≥ N since the previous one is a new firing event (a new
//   failed job is news each time); resolved once the count is back to where it was before the
//   first rise (failed jobs retried or flushed).
import type { Redis } from 'ioredis';
import type { AlertEvent, AlertInbox } from '../alerts/types.js';
import { formatDuration } from '../runbooks/duration.js';
import type { QueueMonitor } from './schema.js';
import { deliverPending, iso, LUA_PUSH, monitorKeys, type TransitionBase } from './state.js';
import { describeSource, readDepth, type SourceDeps } from './sources/index.js';

// KEYS: state hash, pending list. ARGV: value, now, mode (above|rises), threshold, for ms.
const EVALUATE = `${LUA_PUSH}
local s = KEYS[1]
local v = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[4])
local prev = tonumber(redis.call('HGET', s, 'value'))
local firing = redis.call('HGET', s, 'firing') == '1'
redis.call('HSET', s, 'value', v, 'readAt', now)
redis.call('HDEL', s, 'lastError')
if ARGV[3] == 'above' then
  if v > limit then
    local since = tonumber(redis.call('HGET', s, 'aboveSince'))
    if not since then since = now; redis.call('HSET', s, 'aboveSince', now) end
    if firing or now - since < tonumber(ARGV[5]) then return false end
    redis.call('HSET', s, 'firing', 1)
    return push({ kind = 'firing', value = v, since = since })
  end
  local since = tonumber(redis.call('HGET', s, 'aboveSince'))
  redis.call('HDEL', s, 'aboveSince')
  if not firing then return false end
  redis.call('HSET', s, 'firing', 0)
  return push({ kind = 'resolved', value = v, since = since })
end
if prev and v - prev >= limit then
  if not firing then redis.call('HSET', s, 'firing', 1, 'base', prev, 'aboveSince', now) end
  return push({ kind = 'rise', value = v, previous = prev })
end
local base = tonumber(redis.call('HGET', s, 'base'))
if firing and base and v <= base then
  local since = tonumber(redis.call('HGET', s, 'aboveSince'))
  redis.call('HSET', s, 'firing', 0)
  redis.call('HDEL', s, 'base', 'aboveSince')
  return push({ kind = 'resolved', value = v, since = since })
end
return false
`;

export interface QueueTransition extends TransitionBase {
  kind: 'firing' | 'resolved' | 'rise';
  value: number;
  since?: number;
  previous?: number;
}

export interface QueueDeps extends SourceDeps {
  redis: Redis;
  keyPrefix: string;
  inbox: AlertInbox;
}

export interface QueueResult {
  value?: number;
  /** Why the source could not be read (already free of connection URLs). */
  error?: string;
  events: AlertEvent[];
}

/** Reads the depth once, records it and delivers any transition. A failed read is recorded, not alerted. */
export async function runQueueMonitor(deps: QueueDeps, monitor: QueueMonitor): Promise<QueueResult> {
  const key = monitorKeys(deps.keyPrefix).queue(monitor.id);
  let value: number;
  try {
    value = await readDepth(deps, monitor.source);
  } catch (err) {
    const error = (err as Error).message;
    await deps.redis.hset(key, 'lastError', error, 'lastErrorAt', Date.now());
    return { error, events: await deliverPending<QueueTransition>(deps.redis, key, deps.inbox, (t) => queueEvent(monitor, t)) };
  }
  const [mode, limit] = monitor.above !== undefined ? ['above', monitor.above] : ['rises', monitor.rises_by!];
  await deps.redis.eval(EVALUATE, 2, key, `${key}:pending`, value, Date.now(), mode, limit, monitor.for);
  return { value, events: await deliverPending<QueueTransition>(deps.redis, key, deps.inbox, (t) => queueEvent(monitor, t)) };
}

export function queueEvent(monitor: QueueMonitor, t: QueueTransition): AlertEvent {
  const fingerprint = `queue:${monitor.id}`;
  const base = { id: `${fingerprint}:${t.seq}:${t.kind}`, source: 'queue' as const, fingerprint, group: fingerprint, monitor: monitor.id, at: t.at, value: t.value };
  const source = `source ${describeSource(monitor.source)}`;
  if (t.kind === 'rise') {
    return { ...base, status: 'firing', severity: 'warning', title: `${monitor.id} rose to ${t.value} (+${t.value - t.previous!})`, details: [`was ${t.previous}, now ${t.value}`, source] };
  }
  const lasted = t.since !== undefined ? `for ${formatDuration(t.at - t.since)} (since ${iso(t.since)})` : '';
  if (t.kind === 'firing') {
    return { ...base, status: 'firing', severity: 'warning', title: `${monitor.id} backed up: ${t.value} > ${monitor.above}`, details: [`above ${monitor.above} ${lasted}`, source] };
  }
  const was = monitor.above !== undefined ? `back to ${t.value} (≤ ${monitor.above})` : `back to ${t.value}`;
  return { ...base, status: 'resolved', severity: 'info', title: `${monitor.id} ${was}`, details: [lasted ? `had been high ${lasted}` : 'cleared', source] };
}
