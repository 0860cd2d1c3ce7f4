// The composition root: builds adapters (Redis, BullMQ, Slack) once and wires them to the
// engine and the Bolt listeners. Nothing here runs a step.
import { Redis } from 'ioredis';
import type { App } from '@slack/bolt';
import type { Worker } from 'bullmq';
import type { Config } from './config.js';
import { Engine } from './engine/engine.js';
import { keys } from './engine/keys.js';
import { recoverRuns } from './engine/recover.js';
import { RunStore } from './engine/run-store.js';
import { AbortRegistry, type Runtime } from './engine/runtime.js';
import { HEARTBEAT_EVERY_MS, healthRoutes } from './health.js';
import { createAlerting } from './alerts/alerting.js';
import { AlertGroups } from './alerts/groups.js';
import type { RelayOptions } from './alerts/relay.js';
import { StepQueue } from './jobs/step-queue.js';
import { startStepWorker, type StepWorkerOptions } from './jobs/step-worker.js';
import { createLogger, type Logger } from './log.js';
import { createBoltApp } from './slack/bolt-app.js';
import { defaultOutboxOptions, Outbox, type OutboxOptions } from './slack/outbox.js';
import { blockKitRenderer } from './slack/renderer.js';
import { createWebClient, webPoster } from './slack/web-poster.js';
import { channelCheck } from './slack/channel-check.js';
import { ReportPublisher } from './report/publish.js';
import { slackUploader } from './report/upload.js';
import { rememberSecrets } from './lib/known-secrets.js';
import { readMonitorIds } from './runbooks/monitor-ids.js';

export interface TzeroOptions {
  log?: Logger;
  outbox?: Partial<OutboxOptions>;
  worker?: StepWorkerOptions;
  relay?: Partial<RelayOptions>;
}

export interface Tzero {
  app: App;
  alerting: ReturnType<typeof createAlerting>;
  engine: Engine;
  store: RunStore;
  outbox: Outbox;
  log: Logger;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** tzero's own secret values, so the log writer masks them wherever they turn up. */
function ownSecrets(config: Config): string[] {
  const { botToken, signingSecret, appToken } = config.slack;
  const values = [botToken, signingSecret, appToken, config.sentrySecret].flatMap((s) => (s ? [s.reveal()] : []));
  const redisPassword = URL.canParse(config.redisUrl) ? decodeURIComponent(new URL(config.redisUrl).password) : '';
  return redisPassword ? [...values, redisPassword] : values;
}

export function createTzero(config: Config, opts: TzeroOptions = {}): Tzero {
  const log = opts.log ?? createLogger(config.logLevel);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const sub = redis.duplicate();
  const k = keys(config.keyPrefix);
  // What a runbook's `secrets:` may read: the environment, minus tzero's own settings and the
  // variables its monitors read (config.secretEnv alone still serves those to the monitors).
  let monitorEnv: readonly string[] = []; // read at start()
  const secretSource = (n: string) => (monitorEnv.includes(n) ? undefined : config.secretEnv(n));
  rememberSecrets(ownSecrets(config));
  const store = new RunStore(redis, k, secretSource);
  const queue = new StepQueue(redis, config.keyPrefix);
  const web = createWebClient(config.slack.botToken.reveal(), config.slack.apiUrl);
  const groups = new AlertGroups(redis, config.keyPrefix);
  const outbox = new Outbox({ redis, k, log, store, slack: webPoster(web), render: blockKitRenderer, groups }, { ...defaultOutboxOptions, ...opts.outbox });
  const aborts = new AbortRegistry();
  const reports = new ReportPublisher({ redis, k, store, uploader: slackUploader(web), log });
  const rt: Runtime = { store, jobs: queue, messages: outbox, secrets: secretSource, log, aborts, reports, now: () => Date.now() };
  const alerting = createAlerting({ config, redis, rt, store, outbox, groups, log }, opts.relay);
  const engine = new Engine(rt, config.runbooksDir, async (runId) => void (await redis.publish(k.abortChannel, runId)), channelCheck(web, log), { monitorsFile: config.monitorsFile });
  let worker: Worker | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  // The webhook first: Bolt tries custom routes in order, and Sentry is the busiest caller.
  const routes = [...alerting.routes, ...healthRoutes(redis, k.heartbeat, () => worker?.isRunning() ?? false, () => alerting.selfWatch.readiness())];
  const app = createBoltApp(config, { engine, log }, routes);

  return {
    app, engine, store, outbox, log, alerting,
    async start() {
      monitorEnv = (await readMonitorIds(config.monitorsFile)).urlEnv ?? [];
      await sub.subscribe(k.abortChannel);
      sub.on('message', (_channel, runId: string) => aborts.abort(runId));
      worker = startStepWorker(rt, redis, config.keyPrefix, { ...opts.worker, onHeartbeat: (at) => void redis.set(k.heartbeat, String(at)) });
      const beat = () => queue.enqueue({ kind: 'heartbeat', at: Math.floor(Date.now() / HEARTBEAT_EVERY_MS) * HEARTBEAT_EVERY_MS }).catch((err) => log.warn({ err }, 'heartbeat enqueue failed'));
      heartbeat = setInterval(beat, HEARTBEAT_EVERY_MS);
      await beat();
      // Fail at boot, not at the first /cutover start, when the runbooks folder is missing;
      // and say which runbooks are invalid.
      const listing = await engine.listRunbooks().catch((err: Error) => {
        throw new Error(`cannot read RUNBOOKS_DIR ${config.runbooksDir}: ${err.message}`);
      });
      for (const bad of listing.filter((l) => l.error)) log.warn({ file: bad.file, problems: bad.error }, 'invalid runbook');
      log.info({ runbooks: listing.filter((l) => !l.error).map((l) => l.name) }, 'runbooks loaded');
      await recoverRuns(rt);
      await alerting.start();
      outbox.start();
      await app.start(config.port);
      log.info({ port: config.port, mode: config.slack.mode }, 'tzero started');
    },
    async stop() {
      // Stop taking work, give running steps a moment to finish, then close everything.
      clearInterval(heartbeat);
      await app.stop().catch(() => undefined);
      if (worker) {
        // worker.close() waits for active jobs; past the grace period we leave: the step's lock
        // lapses and another replica (or this one after a restart) takes it back as in doubt.
        const closed = await Promise.race([worker.close().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
        if (!closed) log.warn('steps still running at shutdown; they will be recovered as in doubt');
      }
      await alerting.stop();
      await outbox.stop();
      await queue.close();
      sub.disconnect();
      await redis.quit().catch(() => undefined);
      log.info('tzero stopped');
    },
  };
}
