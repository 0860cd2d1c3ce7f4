// The composition root: builds adapters (Redis, BullMQ, Slack) once and wires them to the
// engine and the Bolt listeners. Nothing here runs a step.
import type { App } from '@slack/bolt';
import type { Worker } from 'bullmq';
import type { Config } from './config.js';
import { Engine } from './engine/engine.js';
import { keys } from './engine/keys.js';
import { recoverRuns, takeOverHalfStarted } from './engine/recover.js';
import { RunStore } from './engine/run-store.js';
import { Executions } from './engine/executions.js';
import { AbortRegistry, type Runtime } from './engine/runtime.js';
import { HEARTBEAT_EVERY_MS, healthRoutes } from './health.js';
import { within } from './lib/within.js';
import { createEdgeRuntime } from './edge-runtime.js';
import { createLossWatch } from './redis-loss.js';
import { createAlerting } from './alerts/alerting.js';
import { AlertGroups } from './alerts/groups.js';
import type { RelayOptions } from './alerts/relay.js';
import { StepQueue } from './jobs/step-queue.js';
import { startStepWorker, type StepWorkerOptions } from './jobs/step-worker.js';
import { createLogger, type Logger } from './log.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createBoltApp } from './slack/bolt-app.js';
import { defaultOutboxOptions, Outbox, type OutboxOptions } from './slack/outbox.js';
import { blockKitRenderer } from './slack/renderer.js';
import { createWebClient, webPoster } from './slack/web-poster.js';
import { channelCheck } from './slack/channel-check.js';
import { ReportPublisher } from './report/publish.js';
import { slackUploader } from './report/upload.js';
import type { GitHubClientOptions } from './github/client.js';
import { GitHubClients } from './github/clients.js';
import { DeploymentMirror } from './github/deployment-mirror.js';
import { rememberSecrets } from './lib/known-secrets.js';
import { readMonitorIds } from './runbooks/monitor-ids.js';
import { connectRedis } from './lib/redis-connect.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { RunObserver, runsByStatus } from './metrics/run-observer.js';
import { meteredFetch } from './metrics/slack-fetch.js';

export interface TzeroOptions {
  log?: Logger;
  outbox?: Partial<OutboxOptions>;
  worker?: StepWorkerOptions;
  relay?: Partial<RelayOptions>;
  /** The one clock for the engine and the scheduler (tests move it by hand). */
  clock?: Clock;
  github?: GitHubClientOptions;
}

export interface Tzero {
  app: App;
  alerting: ReturnType<typeof createAlerting>;
  engine: Engine;
  store: RunStore;
  outbox: Outbox;
  /** The step queue (tests drive its delayed jobs with a hand-moved clock). */
  queue: StepQueue;
  log: Logger;
  /** This instance's Prometheus registry and metrics (GET /metrics). */
  metrics: Metrics;
  start(): Promise<void>;
  /** Drains: running steps get `graceMs` (default SHUTDOWN_GRACE) before they are killed. */
  stop(graceMs?: number): Promise<void>;
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
  const redis = connectRedis(config, { maxRetriesPerRequest: null });
  const sub = redis.duplicate();
  // Connection errors are expected during an outage and reported by the self-watch; without a
  // listener ioredis prints each one as an unhandled error event.
  redis.on('error', () => undefined);
  sub.on('error', () => undefined);
  const k = keys(config.keyPrefix);
  // What a runbook's `secrets:` may read: the environment, minus tzero's own settings and the
  // variables its monitors read (config.secretEnv alone still serves those to the monitors).
  let monitorEnv: readonly string[] = []; // read at start()
  const secretSource = (n: string) => (monitorEnv.includes(n) ? undefined : config.secretEnv(n));
  rememberSecrets(ownSecrets(config));
  const clock = opts.clock ?? systemClock;
  const store = new RunStore(redis, k, secretSource, () => clock.now(), (runId, err) => log.warn({ runId, err }, 'audit entries lost'));
  const queue = new StepQueue(redis, config.keyPrefix, clock);
  const metrics = createMetrics();
  const slackFetch = meteredFetch(metrics);
  const web = createWebClient(config.slack.botToken.reveal(), config.slack.apiUrl, slackFetch);
  const groups = new AlertGroups(redis, config.keyPrefix);
  const onDelivered = (kind: string, lagMs: number) => metrics.outboxLag.observe({ kind }, lagMs / 1000);
  const outbox = new Outbox({ redis, k, log, store, slack: webPoster(web), render: blockKitRenderer, groups, onDelivered }, { ...defaultOutboxOptions, ...opts.outbox });
  const aborts = new AbortRegistry();
  const github = new GitHubClients(config.github, { warn: (meta, msg) => log.warn(meta, msg) }, opts.github);
  // GitHub Deployments follow run changes at the edge: the mirror wraps what the engine tells Slack.
  const mirror = new DeploymentMirror({
    redis, k, store, github, log, notify: (...a) => outbox.notify(...a),
    permalink: async (channel, ts) => (await web.chat.getPermalink({ channel, message_ts: ts })).permalink!,
  });
  // Run and step metrics are read where the engine reports changes to Slack, not inside the engine.
  const observer = new RunObserver({ store, redis, prefix: config.keyPrefix, metrics, log });
  const reports = new ReportPublisher({ redis, k, store, uploader: slackUploader(web), log });
  const rt: Runtime = { store, jobs: queue, messages: mirror.wrap(observer.wrap(outbox)), github, secrets: secretSource, log, aborts, reports, now: () => clock.now(), executions: new Executions(redis, k) };
  const alerting = createAlerting({ config, redis, rt, store, outbox, groups, log, metrics }, opts.relay);
  metrics.sources.runsByStatus = () => runsByStatus(store);
  metrics.sources.queueCounts = () => queue.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed');
  redis.on('reconnecting', () => metrics.redisReconnects.inc({ connection: 'main' }));
  sub.on('reconnecting', () => metrics.redisReconnects.inc({ connection: 'subscriber' }));
  const outboxOpts = { ...defaultOutboxOptions, ...opts.outbox };
  const edge = createEdgeRuntime(config, k, rt, { log, slack: webPoster(web), render: blockKitRenderer, groups, onDelivered }, outboxOpts, (m) => mirror.wrap(observer.wrap(m)));
  const engine = new Engine(edge.rt, config.runbooksDir, async (runId) => void (await edge.redis.publish(k.abortChannel, runId)), channelCheck(web, log), { monitorsFile: config.monitorsFile });
  let worker: Worker | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  // The webhook first: Bolt tries custom routes in order, and Sentry is the busiest caller.
  const loss = createLossWatch({ redis, k, log, repair: () => alerting.repair() });
  const routes = [
    ...alerting.routes,
    ...healthRoutes(redis, k.heartbeat, () => worker?.isRunning() ?? false, () => alerting.selfWatch.readiness(), () => loss.notices()),
    metricsRoute(metrics, config.metricsToken?.reveal(), log),
  ];
  const edgeGroups = new AlertGroups(edge.redis, config.keyPrefix);
  const app = createBoltApp(config, { engine, log, now: rt.now, alerts: { group: (id) => edgeGroups.get(id) } }, routes, slackFetch);

  return {
    app, engine, store, outbox, queue, log, alerting, metrics,
    async start() {
      monitorEnv = (await readMonitorIds(config.monitorsFile)).urlEnv ?? [];
      await edge.ready();
      await sub.subscribe(k.abortChannel);
      sub.on('message', (_channel, runId: string) => aborts.abort(runId));
      worker = startStepWorker(rt, redis, config.keyPrefix, { ...opts.worker, onHeartbeat: (at) => void redis.set(k.heartbeat, String(at)) });
      worker.on('stalled', () => metrics.stalledJobs.inc());
      const beat = () => queue.enqueue({ kind: 'heartbeat', at: Math.floor(Date.now() / HEARTBEAT_EVERY_MS) * HEARTBEAT_EVERY_MS }).catch((err) => log.warn({ err }, 'heartbeat enqueue failed'));
      let beats = 0;
      heartbeat = setInterval(() => {
        void beat();
        // Every other beat: take over runs another replica left half-started when it died.
        if (++beats % 2 === 0) void takeOverHalfStarted(rt).catch((err) => log.warn({ err }, 'half-started sweep failed'));
      }, HEARTBEAT_EVERY_MS);
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
      await loss.start();
      outbox.start();
      mirror.start();
      await app.start(config.port);
      log.info({ port: config.port, mode: config.slack.mode }, 'tzero started');
    },
    async stop(graceMs = config.shutdownGraceMs) {
      // Stop taking work; running steps get `graceMs` to finish. Past it their process groups
      // are killed and they are recorded as interrupted (in doubt). Every call below is bounded:
      // with Redis gone, each would otherwise wait for it forever.
      clearInterval(heartbeat);
      loss.stop();
      await within(app.stop(), 1000);
      if (worker) {
        const closing = worker.close(); // stops fetching at once, then waits for active jobs
        if (!(await within(closing, graceMs))) {
          const n = aborts.interruptAll();
          log.warn({ graceMs, interrupted: n }, 'steps still running after the shutdown grace; killing their process groups');
          // The kill takes up to the runner's 2 s SIGKILL grace; recording them needs Redis.
          if (!(await within(closing, 4000))) log.warn('interrupted steps not recorded; they will be recovered as in doubt');
        }
      }
      await within(alerting.stop(), 1000);
      await within(mirror.stop(), 1000);
      await within(outbox.tick(), 1000); // what the interruption changed, if Slack and Redis answer
      await within(outbox.stop(), 500);
      await within(queue.close(), 500);
      await within(edge.close(), 500);
      sub.disconnect();
      if (!(await within(redis.quit(), 500))) redis.disconnect();
      log.info('tzero stopped');
    },
  };
}
