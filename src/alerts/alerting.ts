// Wires the alert pipeline once: Sentry webhook route → inbox → relay (groups, silences, run
// threads, rollback window) → outbox; monitors and self-watch write to the same inbox.
import type { CustomRoute } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { RunStore } from '../engine/run-store.js';
import type { Runtime } from '../engine/runtime.js';
import { loadMonitors, type Monitors } from '../monitors/load.js';
import { createMonitorScheduler, type MonitorScheduler } from '../monitors/scheduler.js';
import { createSelfWatch, type SelfWatch } from '../monitors/self-watch.js';
import type { Outbox } from '../slack/outbox.js';
import { groupId, type AlertGroups } from './groups.js';
import { RedisAlertInbox } from './inbox.js';
import { defaultRelayOptions, Relay, type RelayOptions } from './relay.js';
import { startRelayLoop, type RelayLoop } from './relay-loop.js';
import { sentryWebhookRoute } from './sentry/route.js';
import { alertmanagerWebhookRoute } from './alertmanager/route.js';
import { SentryInstallations } from './sentry/installations.js';
import { silenceHooks } from './silence-hooks.js';
import type { Metrics } from '../metrics/metrics.js';
import { meteredInbox } from '../metrics/metered-inbox.js';
import type { IngestObserver } from './ingest-outcome.js';
import { Silences } from './silences.js';

export interface Alerting {
  groups: AlertGroups;
  inbox: RedisAlertInbox;
  routes: CustomRoute[];
  selfWatch: SelfWatch;
  /** Loads the monitors file (fails fast when invalid), then starts the relay and the monitors. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Redis came back empty: recreates the relay's consumer group and the monitor schedules. */
  repair(): Promise<string[]>;
}

export interface AlertingDeps {
  config: Config;
  redis: Redis;
  rt: Runtime;
  store: RunStore;
  outbox: Outbox;
  groups: AlertGroups;
  log: Logger;
  /** Counts alert ingest by source and result when given. */
  metrics?: Metrics;
}

export function createAlerting({ config, redis, rt, store, outbox, groups, log, metrics }: AlertingDeps, relayOptions: Partial<RelayOptions> = {}): Alerting {
  const prefix = config.keyPrefix;
  const silences = new Silences(redis, prefix);
  const inbox = new RedisAlertInbox(redis, prefix);
  inbox.onGroupLost = () => log.warn({ group: 'relay' }, 'alert inbox consumer group was missing; recreated');
  // Producers (webhooks, monitors, self-watch) write through the metered view; the relay reads the inbox itself.
  const ingest = metrics ? meteredInbox(inbox, metrics) : inbox;
  const onIngest: IngestObserver | undefined = metrics && ((source, result, n) => metrics.alertIngest.inc({ source, result }, n));
  const hooks = silenceHooks(silences, store, outbox, rt.now);
  rt.silences = hooks;
  rt.alerts = {
    async firingSince(key) {
      const g = await groups.get(groupId(key));
      return g && g.status === 'firing' ? g.firingSince : null;
    },
  };
  const selfWatch = createSelfWatch({ redis, keyPrefix: prefix, inbox: ingest });
  selfWatch.watchConnection(redis);
  let loop: RelayLoop | undefined;
  let scheduler: MonitorScheduler | undefined;
  let monitors: Monitors = { health: [], queues: [] };

  return {
    groups, inbox, selfWatch,
    routes: [
      sentryWebhookRoute({ secret: config.sentrySecret?.reveal(), inbox: ingest, installations: new SentryInstallations(redis, prefix), log, onIngest }),
      alertmanagerWebhookRoute({ token: config.alertmanagerToken?.reveal(), inbox: ingest, log, onIngest }),
    ],
    async start() {
      monitors = await loadMonitors(config.monitorsFile, { env: (n) => config.secretEnv(n) });
      const relay = new Relay({ redis, prefix, groups, silences, outbox, store, rt, log }, { ...defaultRelayOptions, alertsChannel: monitors.alertsChannel, ...relayOptions });
      loop = startRelayLoop(inbox, relay, async () => (await hooks.sweep()) + (await relay.repeat()), log);
      scheduler = createMonitorScheduler({ connection: redis, keyPrefix: prefix, monitors, inbox: ingest, env: (n) => config.secretEnv(n), log, selfWatch });
      await scheduler.start();
      selfWatch.start();
      log.info({ monitors: monitors.health.length + monitors.queues.length, alertsChannel: monitors.alertsChannel ?? null }, 'alerting started');
    },
    async repair() {
      inbox.resetGroup();
      const done = ['alert relay consumer group recreated'];
      if (scheduler) {
        await scheduler.reschedule();
        done.push('monitor schedules recreated');
      }
      return done;
    },
    async stop() {
      selfWatch.stop();
      await scheduler?.stop();
      await loop?.stop();
    },
  };
}
