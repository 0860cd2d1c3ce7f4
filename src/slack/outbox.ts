// Delivers run messages to Slack within its limits. The engine only says which messages exist
// and that they changed; this reconciles Slack with the latest state ("latest state wins"):
// new messages at most one per second per channel, edits coalesced and kept under a
// workspace-wide chat.update budget, Retry-After honoured. All of it lives in Redis (message
// refs included), so a restart or another replica carries on where this one stopped.
import type { Mrkdwn } from '../lib/mrkdwn.js';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RunMessages } from '../engine/messages.js';
import type { Keys } from '../engine/keys.js';
import { syncChannel, type OutboxDeps } from './outbox-sync.js';
import { type OutboxOptions, defaultOutboxOptions } from './outbox-options.js';
import { redisScript } from '../lib/redis-script.js';

export { defaultOutboxOptions, type OutboxOptions } from './outbox-options.js';

// Creates the message record once (with its place in the channel's order) and bumps its wanted
// version; `since` (ARGV[2]) records when a shown message first fell behind (outbox lag metric).
const ENSURE = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  local seq = redis.call('INCR', KEYS[3])
  redis.call('HSET', KEYS[1], 'seq', seq, 'want', 0, 'done', 0, unpack(ARGV, 3))
end
local h = redis.call('HMGET', KEYS[1], 'want', 'done')
if h[1] == h[2] then redis.call('HSET', KEYS[1], 'since', ARGV[2]) end
redis.call('HINCRBY', KEYS[1], 'want', 1)
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'seq'), ARGV[1])
redis.call('SADD', KEYS[4], redis.call('HGET', KEYS[1], 'channel'))
return 1`);
const UNLOCK = redisScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`);

export class Outbox implements RunMessages {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private readonly owner = randomUUID();

  constructor(private readonly deps: OutboxDeps & { redis: Redis; k: Keys; log: Logger }, private readonly opts: OutboxOptions = defaultOutboxOptions) {}

  card(runId: string, channel: string): Promise<void> {
    return this.ensure(`${runId}.card`, channel, { kind: 'card', runId });
  }

  step(runId: string, channel: string, stepId: string): Promise<void> {
    return this.ensure(`${runId}.step.${stepId}`, channel, { kind: 'step', runId, ref: stepId, thread: `${runId}.card` });
  }

  rollback(runId: string, channel: string): Promise<void> {
    return this.ensure(`${runId}.rollback`, channel, { kind: 'rollback', runId, thread: `${runId}.card` });
  }

  async proposal(runId: string, channel: string, proposalId: string): Promise<void> {
    const key = `${runId}.proposal.${proposalId}`;
    await this.deps.redis.sadd(this.extraKey(runId), key); // re-rendered on every change of the run
    await this.ensure(key, channel, { kind: 'proposal', runId, ref: proposalId, thread: `${runId}.card` });
  }

  private extraKey(runId: string): string {
    return this.deps.k.outboxMsg(`${runId}.extra`);
  }

  async notify(runId: string, key: string, text: Mrkdwn, target: { channel: string; inThread: boolean }): Promise<void> {
    const msgKey = `${runId}.notify.${key}`;
    // A notify is posted once: re-running the step after a crash must not post it again.
    if (await this.deps.redis.exists(this.deps.k.outboxMsg(msgKey))) return;
    await this.ensure(msgKey, target.channel, { kind: 'notify', runId, ref: text.text, thread: target.inThread ? `${runId}.card` : '' });
  }

  /**
   * An alert-side message (group message in #alerts, its copy in a run thread, a rollback
   * proposal). `notBefore` holds the first post (Alertmanager's group_wait); `editEvery` spaces
   * edits of a busy message (group_interval).
   */
  async message(key: string, channel: string, fields: { kind: 'alert' | 'alert-run' | 'proposal' | 'notify'; runId?: string; ref: string; thread?: string; notBefore?: number; editEvery?: number; tag?: string; urgent?: boolean }): Promise<void> {
    const flat: Record<string, string> = { kind: fields.kind, runId: fields.runId ?? '', ref: fields.ref, thread: fields.thread ?? '' };
    if (fields.notBefore) flat.notBefore = String(fields.notBefore);
    if (fields.editEvery) flat.editEvery = String(fields.editEvery);
    if (fields.tag) flat.tag = fields.tag;
    await this.ensure(key, channel, flat);
    // `urgent`: the next edit skips `editEvery` (still paced by editIntervalMs and the budget).
    if (fields.urgent) {
      await this.deps.redis.hset(this.deps.k.outboxMsg(key), 'urgent', '1');
      this.kick();
    }
  }

  /** Posts a text once per key (idempotent), optionally in the thread of another message. */
  async once(key: string, channel: string, text: Mrkdwn, thread?: string): Promise<void> {
    if (await this.deps.redis.exists(this.deps.k.outboxMsg(key))) return;
    await this.ensure(key, channel, { kind: 'notify', runId: '', ref: text.text, thread: thread ?? '' });
  }

  async changed(runId: string): Promise<void> {
    const { redis, k } = this.deps;
    const extra = await redis.smembers(this.extraKey(runId));
    for (const key of [`${runId}.card`, `${runId}.rollback`, ...extra]) {
      const channel = await redis.hget(k.outboxMsg(key), 'channel');
      if (channel) await this.ensure(key, channel, {});
    }
  }

  private async ensure(key: string, channel: string, fields: Record<string, string>): Promise<void> {
    const { redis, k } = this.deps;
    const flat = Object.entries({ channel, ...fields }).flat();
    await ENSURE.run(redis, [k.outboxMsg(key), k.outboxChannel(channel), k.outboxSeq, k.outboxDirty], [key, Date.now(), ...flat]);
    this.kick();
  }

  /** Starts the delivery loop (every replica runs one; a per-channel lock keeps them apart). */
  start(): void {
    this.timer ??= setInterval(() => this.kick(), this.opts.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.ticking) await new Promise((r) => setTimeout(r, 20));
  }

  private kick(): void {
    if (this.ticking || !this.timer) return;
    this.ticking = true;
    void this.tick().finally(() => (this.ticking = false));
  }

  /** One pass over every channel with pending work. Exposed for tests and shutdown flushes. */
  async tick(): Promise<void> {
    const { redis, k, log } = this.deps;
    try {
      for (const channel of await redis.smembers(k.outboxDirty)) {
        const lock = k.outboxLock(channel);
        if (!(await redis.set(lock, this.owner, 'PX', 15_000, 'NX'))) continue;
        try {
          await syncChannel(this.deps, channel, this.opts);
        } finally {
          await UNLOCK.run(redis, [lock], [this.owner]);
        }
      }
    } catch (err) {
      log.error({ err }, 'outbox pass failed');
    }
  }

  /** True when nothing is waiting to be delivered. */
  async idle(): Promise<boolean> {
    // A pass takes its channel out of the dirty set first and puts it back at the end if work
    // remains, so while this replica is mid-pass the empty set says nothing.
    if (this.ticking) return false;
    return (await this.deps.redis.scard(this.deps.k.outboxDirty)) === 0;
  }
}
