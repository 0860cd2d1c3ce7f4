// One delivery pass for one channel (the caller holds the channel's lock).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Keys } from '../engine/keys.js';
import type { RunStore } from '../engine/run-store.js';
import type { OutboxOptions } from './outbox-options.js';
import type { RenderedMessage, Renderer } from './render.js';
import type { AlertGroup } from '../alerts/groups.js';

export interface SlackPoster {
  /** `key` goes with the message as metadata, so a post whose answer was lost can be found. */
  post(msg: { channel: string; thread_ts?: string; key: string } & RenderedMessage): Promise<{ ts: string }>;
  /** The ts of a message posted since `oldest` (ms) carrying `key`, in the channel or the thread; null if none. */
  find(q: { channel: string; thread_ts?: string; key: string; oldest: number }): Promise<string | null>;
  update(msg: { channel: string; ts: string } & RenderedMessage): Promise<void>;
}

export interface OutboxDeps {
  redis: Redis;
  k: Keys;
  log: Logger;
  store: RunStore;
  slack: SlackPoster;
  render: Renderer;
  groups: { get(id: string): Promise<AlertGroup | null> };
  /** A message version reached Slack, `lagMs` after the change it shows (metrics). */
  onDelivered?: (kind: string, lagMs: number) => void;
}

type Msg = { key: string; channel: string; kind: string; runId: string; ref?: string; thread?: string; ts?: string; want: number; done: number; edited?: number; failed?: string; notBefore?: number; editEvery?: number; urgent?: boolean; posting?: number; since?: number };

// Drops a delivered message from the channel's work list, unless it was bumped meanwhile: then
// the newer change happened after this pass loaded the message (ARGV[2]), its lag counts from there.
const SETTLE = `
local h = redis.call('HMGET', KEYS[1], 'want', 'done')
if h[1] == h[2] then redis.call('ZREM', KEYS[2], ARGV[1]) return 1 end
redis.call('HSET', KEYS[1], 'since', ARGV[2])
return 0`;

export async function syncChannel(d: OutboxDeps, channel: string, o: OutboxOptions): Promise<void> {
  const { redis, k, log } = d;
  const pausedUntil = Number(await redis.get(k.outboxPause)) || 0;
  if (Date.now() < pausedUntil) return void (await redis.sadd(k.outboxDirty, channel));
  await redis.srem(k.outboxDirty, channel); // re-added below while work remains
  let more = false;
  let mayPost = true;
  let lastPost: number | undefined;
  // The oldest PASS_SIZE messages per pass, loaded in one round trip: a backlog of hundreds of
  // cards (one post per second) must not make every pass walk all of them one call at a time.
  const keys = await redis.zrange(k.outboxChannel(channel), 0, PASS_SIZE - 1);
  if (keys.length === PASS_SIZE) more = true;
  const loaded = await loadAll(redis, k, keys);
  for (const [i, key] of keys.entries()) {
    const m = loaded[i];
    if (!m || m.failed) {
      await redis.zrem(k.outboxChannel(channel), key);
      continue;
    }
    const now = Date.now();
    try {
      if (!m.ts) {
        if (m.notBefore && now < m.notBefore) {
          more = true; // gathering the group (group_wait); later messages may go first
          continue;
        }
        // Order matters in a channel: a message waits for earlier posts and for its thread parent.
        // Once this pass may post no more, the rest are not even looked at (no Redis calls).
        if (!mayPost) {
          more = true;
          continue;
        }
        lastPost ??= Number(await redis.get(k.outboxLastPost(channel))) || 0;
        if (now - lastPost < o.postIntervalMs) {
          mayPost = false;
          more = true;
          continue;
        }
        const parent = m.thread ? await redis.hmget(k.outboxMsg(m.thread), 'ts', 'failed') : undefined;
        if (parent && !parent[0] && parent[1]) {
          // Slack refused the thread parent (e.g. the bot is not in the channel): its replies
          // cannot be posted either, and must not keep the channel busy forever.
          await redis.hset(k.outboxMsg(key), 'failed', 'thread_parent_failed');
          continue;
        }
        if (parent && !parent[0]) {
          mayPost = false;
          more = true;
          continue;
        }
        const thread_ts = parent?.[0] ?? undefined;
        // An earlier post of this message got no answer (timeout, reset): Slack may have posted
        // it. Look for it before posting again, so a lost answer costs no duplicate, let alone a
        // loop of them. A failed lookup throws: retried later, never posted blind.
        const found = m.posting ? await lookUp(d, m, channel, thread_ts) : null;
        if (found === 'give_up') continue;
        if (found) {
          log.warn({ key, ts: found }, 'a post whose answer was lost had gone through; not posted again');
          // done 0: the next pass edits it to the latest state, whatever version was posted.
          await redis.hset(k.outboxMsg(key), { ts: found, done: 0, edited: Date.now(), posting: '' });
          more = true;
          continue;
        }
        const body = await render(d, m);
        lastPost = Date.now();
        await redis.set(k.outboxLastPost(channel), String(lastPost));
        await redis.hset(k.outboxMsg(key), 'posting', String(m.posting ?? lastPost));
        const { ts } = await d.slack.post({ channel, thread_ts, key, ...body });
        await redis.hset(k.outboxMsg(key), { ts, done: m.want, edited: Date.now(), urgent: '', posting: '' });
        if (m.since) d.onDelivered?.(m.kind, Date.now() - m.since);
      } else if (m.want > m.done) {
        const gap = m.urgent ? o.editIntervalMs : Math.max(o.editIntervalMs, m.editEvery ?? 0);
        if (now - (m.edited ?? 0) < gap || !(await takeUpdateBudget(redis, k, o.updatesPerMinute))) {
          more = true;
          continue;
        }
        const body = await render(d, m);
        await d.slack.update({ channel, ts: m.ts, ...body });
        await redis.hset(k.outboxMsg(key), { done: m.want, edited: Date.now(), urgent: '' });
        if (m.since) d.onDelivered?.(m.kind, Date.now() - m.since);
      }
      if (!(await redis.eval(SETTLE, 2, k.outboxMsg(key), k.outboxChannel(channel), key, now))) more = true;
    } catch (err) {
      more = (await onError(d, m, err)) || more;
      if (isRateLimit(err)) break;
    }
  }
  if (more) await redis.sadd(k.outboxDirty, channel);
}

const PASS_SIZE = 200;

async function loadAll(redis: Redis, k: Keys, keys: string[]): Promise<Array<Msg | null>> {
  if (!keys.length) return [];
  const pipe = redis.pipeline();
  for (const key of keys) pipe.hgetall(k.outboxMsg(key));
  const res = (await pipe.exec()) ?? [];
  return keys.map((key, i) => toMsg(key, (res[i]?.[1] ?? {}) as Record<string, string>));
}

function toMsg(key: string, h: Record<string, string>): Msg | null {
  if (!h.channel) return null;
  const num = (v?: string) => (v ? Number(v) : undefined);
  return { key, channel: h.channel, kind: h.kind!, runId: h.runId!, ref: h.ref, thread: h.thread || undefined, ts: h.ts, want: Number(h.want), done: Number(h.done), edited: num(h.edited), failed: h.failed, notBefore: num(h.notBefore), editEvery: num(h.editEvery), urgent: h.urgent === '1', posting: num(h.posting), since: num(h.since) };
}

async function render(d: OutboxDeps, m: Msg): Promise<RenderedMessage> {
  if (m.kind === 'notify') return d.render.notify(m.ref ?? '');
  if (m.kind === 'alert' || m.kind === 'alert-run') {
    const group = await d.groups.get(m.ref!);
    if (!group) throw new Error(`alert group ${m.ref} is gone`);
    if (m.kind === 'alert') return d.render.alert(group, Date.now());
    const tag = await d.redis.hget(d.k.outboxMsg(m.key), 'tag');
    return d.render.runAlert(group, tag ?? undefined, Date.now());
  }
  const run = await d.store.get(m.runId);
  if (!run) throw new Error(`run ${m.runId} is gone`);
  const now = Date.now();
  if (m.kind === 'card') return d.render.card(run, now);
  if (m.kind === 'rollback') return d.render.rollback(run, now);
  if (m.kind === 'proposal') return d.render.proposal(run, m.ref!, now);
  return d.render.step(run, m.ref!, now);
}

/** A rolling-minute budget shared by every replica (a sorted set of recent edit times). */
async function takeUpdateBudget(redis: Redis, k: Keys, perMinute: number): Promise<boolean> {
  const now = Date.now();
  await redis.zremrangebyscore(k.outboxUpdates, 0, now - 60_000);
  if ((await redis.zcard(k.outboxUpdates)) >= perMinute) return false;
  await redis.zadd(k.outboxUpdates, now, `${now}-${randomUUID()}`);
  return true;
}

/**
 * Finds a post whose answer was lost. When Slack refuses the lookup itself (e.g. the workspace
 * has not granted channels:history yet), the message is posted again once — at most one
 * duplicate — and given up after that, never re-posted in a loop.
 */
async function lookUp(d: OutboxDeps, m: Msg, channel: string, thread_ts: string | undefined): Promise<string | null | 'give_up'> {
  try {
    return await d.slack.find({ channel, thread_ts, key: m.key, oldest: m.posting! - 60_000 });
  } catch (err) {
    if ((err as { code?: string }).code !== 'slack_webapi_platform_error') throw err; // network: look again later
    const reason = (err as { data?: { error?: string } }).data?.error ?? 'error';
    const blind = await d.redis.hincrby(d.k.outboxMsg(m.key), 'blind', 1);
    if (blind > 1) {
      d.log.error({ key: m.key, reason }, 'cannot tell whether a message was posted; not posting it again');
      await d.redis.hset(d.k.outboxMsg(m.key), 'failed', 'reply_lost');
      return 'give_up';
    }
    d.log.warn({ key: m.key, reason }, 'cannot look up a post whose answer was lost; posting it once more');
    return null;
  }
}

function isRateLimit(err: unknown): err is { retryAfter: number } {
  return (err as { code?: string }).code === 'slack_webapi_rate_limited_error';
}

/** Returns true when the message should be tried again later. */
async function onError(d: OutboxDeps, m: Msg, err: unknown): Promise<boolean> {
  const { redis, k, log } = d;
  // Slack answered: whatever it was, it did not post, so there is nothing to look for later.
  if (!m.ts && (isRateLimit(err) || (err as { code?: string }).code === 'slack_webapi_platform_error')) await redis.hset(k.outboxMsg(m.key), 'posting', '');
  if (isRateLimit(err)) {
    log.warn({ key: m.key, retryAfter: err.retryAfter }, 'slack rate limited; pausing deliveries');
    await redis.set(k.outboxPause, String(Date.now() + Math.max(1, err.retryAfter) * 1000));
    return true;
  }
  const code = (err as { code?: string; data?: { error?: string } }).code;
  if (code === 'slack_webapi_platform_error') {
    // Slack refused this content (invalid_blocks, channel_not_found…): retrying the same
    // request cannot help. Give up on this version; a later change tries again.
    const reason = (err as { data?: { error?: string } }).data?.error ?? 'error';
    log.error({ key: m.key, reason, data: (err as { data?: unknown }).data }, 'slack refused a message');
    if (!m.ts) await redis.hset(k.outboxMsg(m.key), 'failed', reason);
    else await redis.hset(k.outboxMsg(m.key), 'done', m.want);
    return false;
  }
  log.warn({ key: m.key, err }, 'slack call failed; will retry');
  await redis.set(k.outboxPause, String(Date.now() + 1000));
  return true;
}
