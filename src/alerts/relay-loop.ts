// Each replica consumes the alert inbox through one consumer group: an entry goes to one
// replica, is acknowledged only after it was handled, and entries of a replica that died are
// claimed by another after `claimAfterMs`. Silences whose time ran out are swept here too.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RedisAlertInbox } from './inbox.js';
import type { Relay } from './relay.js';

export interface RelayLoop {
  stop(): Promise<void>;
}

export function startRelayLoop(inbox: RedisAlertInbox, relay: Relay, sweep: () => Promise<number>, log: Logger, opts = { claimAfterMs: 10_000, housekeepingMs: 2000 }): RelayLoop {
  const consumer = `relay-${randomUUID().slice(0, 8)}`;
  let running = true;
  let lastHousekeeping = 0;

  async function handle(entries: Awaited<ReturnType<RedisAlertInbox['readBatch']>>): Promise<void> {
    const ok: string[] = [];
    for (const { id, event } of entries) {
      try {
        await relay.handle(event);
        ok.push(id);
      } catch (err) {
        log.error({ err, eventId: event.id }, 'alert relay failed; will retry');
      }
    }
    await inbox.ack(ok);
  }

  const done = (async () => {
    while (running) {
      try {
        if (Date.now() - lastHousekeeping > opts.housekeepingMs) {
          lastHousekeeping = Date.now();
          await handle(await inbox.claimStale(consumer, opts.claimAfterMs, 200));
          await sweep();
        }
        await handle(await inbox.readBatch(consumer, 100, 500));
      } catch (err) {
        if (!running) break;
        log.error({ err }, 'alert relay loop error');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();

  return {
    async stop() {
      running = false;
      inbox.close(); // ends a blocked read at once
      await done;
    },
  };
}
