// What the Slack edge (commands, buttons, modals) runs the engine on: the same runtime, but on
// its own Redis connection that fails fast. No offline queue, no resend after a reconnect, a
// 2 s command timeout: a /cutover start or a click during a Redis outage is refused at once
// and answered ("Redis is unreachable; nothing was started"), and is never replayed when
// Redis comes back, as the shared connection would (it queues commands until then).
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Keys } from './engine/keys.js';
import { connectRedis } from './lib/redis-connect.js';
import { RunStore } from './engine/run-store.js';
import type { RunMessages } from './engine/messages.js';
import type { Runtime } from './engine/runtime.js';
import { StepQueue } from './jobs/step-queue.js';
import { Outbox, type OutboxOptions } from './slack/outbox.js';
import type { OutboxDeps } from './slack/outbox-sync.js';

export const EDGE_COMMAND_TIMEOUT_MS = 2000;

export interface EdgeRuntime {
  rt: Runtime;
  redis: Redis;
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** `wrap`: what the shared runtime puts around its messages (the metrics observer), applied here too. */
export function createEdgeRuntime(
  config: Config, k: Keys, rt: Runtime, outboxDeps: Omit<OutboxDeps, 'redis' | 'store' | 'k'>, outboxOpts: OutboxOptions,
  wrap: (m: RunMessages) => RunMessages = (m) => m,
): EdgeRuntime {
  const redis = connectRedis(config, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: EDGE_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
  });
  redis.on('error', () => undefined); // reported by the shared connection's self-watch
  // Same secret source as the shared store: what the edge writes is redacted too.
  const store = new RunStore(redis, k, rt.secrets, () => rt.now(), (runId, err) => rt.log.warn({ runId, err }, 'audit entries lost'));
  // Delays from the runtime's clock (the one clock), like the shared queue's.
  const queue = new StepQueue(redis, config.keyPrefix, { now: () => rt.now() });
  // Only records what to deliver: the shared outbox's loop delivers it (this one never ticks).
  const messages = wrap(new Outbox({ ...outboxDeps, redis, k, log: rt.log, store }, outboxOpts));
  // A getter view, not a copy: alerting adds silences/alerts to the shared runtime later.
  const edge = Object.create(rt, {
    store: { value: store },
    jobs: { value: queue },
    messages: { value: messages },
  }) as Runtime;
  return {
    rt: edge,
    redis,
    async ready() {
      if (redis.status !== 'ready') await once(redis, 'ready');
      await queue.queue.waitUntilReady();
    },
    async close() {
      await queue.close().catch(() => undefined);
      redis.disconnect();
    },
  };
}
