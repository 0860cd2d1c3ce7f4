// The durable alert inbox: a Redis Stream. `accept` dedups on the event id and appends in one
// Lua call, so an accepted alert is in Redis before the webhook's 2xx. The relay reads it
// through a consumer group: at-least-once, stale entries of a dead consumer are claimed.
import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AlertEvent, AlertInbox } from './types.js';
import { alertKeys, type AlertKeys } from './keys.js';

export interface RedisAlertInboxOptions {
  /** How long an event id is remembered for dedup, in seconds. Default 86 400 (24 h). */
  dedupTtlSec?: number;
  /** Approximate cap of the stream (XADD MAXLEN ~). Default 100 000. */
  maxLen?: number;
  /** Consumer group of the relay. Default `relay`. */
  group?: string;
}

export interface InboxEntry {
  /** Stream entry id, for `ack`. */
  id: string;
  event: AlertEvent;
}

// KEYS[1] seen marker, KEYS[2] stream; ARGV ttl, maxlen, json. Returns the entry id or false.
const ACCEPT = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'data', ARGV[3])
end
return false`;
const ACCEPT_SHA = hash('sha1', ACCEPT);

type RawEntry = [id: string, fields: string[]];

/** Outage errors surface in the relay loop's log; no "unhandled error event" per retry. */
const quiet = (r: Redis): Redis => r.on('error', () => undefined);

export class RedisAlertInbox implements AlertInbox {
  readonly k: AlertKeys;
  private readonly ttl: number;
  private readonly maxLen: number;
  private readonly group: string;
  private groupReady: Promise<void> | undefined;
  private blocking: Redis | undefined;

  constructor(readonly redis: Redis, readonly prefix: string, opts: RedisAlertInboxOptions = {}) {
    this.k = alertKeys(prefix);
    this.ttl = opts.dedupTtlSec ?? 86_400;
    this.maxLen = opts.maxLen ?? 100_000;
    this.group = opts.group ?? 'relay';
  }

  async accept(event: AlertEvent): Promise<boolean> {
    // EVALSHA with a fallback to EVAL when the script is not cached (after a Redis restart).
    const id = await this.redis.evalsha(ACCEPT_SHA, 2, this.k.seen(event.id), this.k.inbox, this.ttl, this.maxLen, JSON.stringify(event)).catch((err: Error) => {
      if (!String(err.message).startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(ACCEPT, 2, this.k.seen(event.id), this.k.inbox, this.ttl, this.maxLen, JSON.stringify(event));
    });
    return id !== null;
  }

  /** Entries in the stream (accepted and not trimmed). */
  length(): Promise<number> {
    return this.redis.xlen(this.k.inbox);
  }

  /**
   * New entries for `consumer`, waiting up to `blockMs` (0: do not wait). A blocking read runs on
   * a dedicated connection so it never holds up other commands.
   */
  async readBatch(consumer: string, count: number, blockMs: number): Promise<InboxEntry[]> {
    return this.withGroup(() => this.read(consumer, count, blockMs));
  }

  private async read(consumer: string, count: number, blockMs: number): Promise<InboxEntry[]> {
    await this.ensureGroup();
    const head = ['GROUP', this.group, consumer, 'COUNT', count] as const;
    const tail = ['STREAMS', this.k.inbox, '>'] as const;
    const conn = blockMs > 0 ? (this.blocking ??= quiet(this.redis.duplicate())) : this.redis;
    const res = (blockMs > 0
      ? await conn.call('XREADGROUP', ...head, 'BLOCK', blockMs, ...tail)
      : await conn.call('XREADGROUP', ...head, ...tail)) as Array<[string, RawEntry[]]> | null;
    return this.decode(res?.[0]?.[1] ?? []);
  }

  /** Acknowledges delivered entries (after the relay has handled them). */
  async ack(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    return this.redis.xack(this.k.inbox, this.group, ...ids);
  }

  /** Takes over entries pending longer than `minIdleMs` on any consumer (one that died). */
  async claimStale(consumer: string, minIdleMs: number, max = 1000): Promise<InboxEntry[]> {
    return this.withGroup(() => this.claim(consumer, minIdleMs, max));
  }

  private async claim(consumer: string, minIdleMs: number, max: number): Promise<InboxEntry[]> {
    await this.ensureGroup();
    const out: InboxEntry[] = [];
    let cursor = '0-0';
    do {
      const res = (await this.redis.call('XAUTOCLAIM', this.k.inbox, this.group, consumer, minIdleMs, cursor, 'COUNT', Math.min(100, max - out.length))) as [string, RawEntry[]];
      cursor = res[0];
      out.push(...(await this.decode(res[1])));
    } while (cursor !== '0-0' && out.length < max);
    return out;
  }

  /** Entries delivered to a consumer and not yet acknowledged. */
  async pendingCount(): Promise<number> {
    await this.ensureGroup();
    const res = (await this.redis.xpending(this.k.inbox, this.group)) as [number, ...unknown[]];
    return Number(res[0]);
  }

  /** Forget that the group exists (Redis came back empty): the next read creates it again. */
  resetGroup(): void {
    this.groupReady = undefined;
  }

  /**
   * A Redis that came back empty (flushed, or a replica that missed writes) has no consumer
   * group: create it again and retry once, instead of failing with NOGROUP forever.
   */
  private async withGroup<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOGROUP')) throw err;
      this.groupReady = undefined;
      this.onGroupLost?.();
      return fn();
    }
  }

  /** Called when the consumer group had to be created again. */
  onGroupLost?: () => void;

  close(): void {
    this.blocking?.disconnect();
    this.blocking = undefined;
  }

  private ensureGroup(): Promise<void> {
    // From id 0: events accepted before the relay ever started are delivered too.
    this.groupReady ??= this.redis.xgroup('CREATE', this.k.inbox, this.group, '0', 'MKSTREAM').then(
      () => undefined,
      (err: Error) => {
        if (!String(err.message).includes('BUSYGROUP')) {
          this.groupReady = undefined;
          throw err;
        }
      },
    );
    return this.groupReady;
  }

  private async decode(entries: RawEntry[]): Promise<InboxEntry[]> {
    const out: InboxEntry[] = [];
    const broken: string[] = [];
    for (const entry of entries) {
      // XAUTOCLAIM may return null for an entry trimmed from the stream meanwhile.
      if (!entry || !entry[1]) continue;
      const [id, fields] = entry;
      const i = fields.indexOf('data');
      try {
        out.push({ id, event: JSON.parse(fields[i + 1]!) as AlertEvent });
      } catch {
        broken.push(id);
      }
    }
    // Only this class writes the stream; an unreadable entry would be redelivered forever.
    await this.ack(broken);
    return out;
  }
}
