// Monitor state lives in Redis so a restart or another replica carries on where the last probe
// left off. Each evaluation is one Lua script (atomic across replicas) that updates the state and,
// on a transition, appends it to a pending list in the same step. Delivery to the inbox reads
// that list, so a crash between "went down" and inbox.accept re-delivers on the next probe
// instead of losing the alert; event ids derive from the transition, so a re-delivery is a no-op.
import type { Redis } from 'ioredis';
import type { AlertEvent, AlertInbox } from '../alerts/types.js';

export function monitorKeys(prefix: string) {
  return {
    health: (id: string) => `${prefix}:monitor:health:${id}`,
    queue: (id: string) => `${prefix}:monitor:queue:${id}`,
    self: (what: string) => `${prefix}:monitor:self:${what}`,
    /** Transitions not yet accepted by the inbox, oldest first (JSON). */
    pending: (stateKey: string) => `${stateKey}:pending`,
  };
}

/** What every Lua evaluation adds to a transition: its sequence number and when it happened. */
export interface TransitionBase {
  kind: string;
  seq: number;
  at: number;
}

// Pops the head only if it is still the one we delivered: another replica may have done it first.
const POP_IF_HEAD = `if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then return redis.call('LPOP', KEYS[1]) end return false`;

/** Hands every pending transition of `stateKey` to the inbox, in order; stops at the first failure (kept for next time). */
export async function deliverPending<T extends TransitionBase>(
  redis: Redis,
  stateKey: string,
  inbox: AlertInbox,
  build: (transition: T) => AlertEvent,
): Promise<AlertEvent[]> {
  const list = `${stateKey}:pending`;
  const delivered: AlertEvent[] = [];
  for (let i = 0; i < 100; i++) {
    const head = await redis.lindex(list, 0);
    if (head === null) break;
    const event = build(JSON.parse(head) as T);
    await inbox.accept(event);
    await redis.eval(POP_IF_HEAD, 1, list, head);
    delivered.push(event);
  }
  return delivered;
}

/** Shared Lua prelude: `push(t)` numbers a transition, stamps it and appends it to the pending list. */
export const LUA_PUSH = `
local function push(t)
  t.seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  t.at = tonumber(ARGV[2])
  redis.call('RPUSH', KEYS[2], cjson.encode(t))
  return cjson.encode(t)
end
`;

/** The URL as shown in alerts: without user:password@ (a health URL may carry basic auth). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
