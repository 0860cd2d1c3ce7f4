// Runs every monitor on a schedule shared by all replicas: one BullMQ job scheduler per monitor
// on the `tzero-monitors` queue. A scheduler keeps exactly one delayed job, so each interval
// produces one job, taken by one worker, whichever replica it is on; schedulers live in Redis,
// so they keep firing after a restart. Upserts are idempotent (every replica upserts at boot).
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertInbox } from '../alerts/types.js';
import { createLogger, type Logger } from '../log.js';
import { runHealthMonitor, type HealthResult } from './health.js';
import type { EnvLookup, Monitors } from './load.js';
import { runQueueMonitor, type QueueResult } from './queue.js';
import type { HealthMonitor, QueueMonitor } from './schema.js';
import { selfMonitors, SELF_CHECK_EVERY_MS, type SelfWatch } from './self-watch.js';

export const MONITOR_QUEUE = 'tzero-monitors';

export type MonitorJob = { kind: 'health' | 'queue'; id: string } | { kind: 'self'; id: 'workers' };
export type MonitorResult = HealthResult | QueueResult | void;

export interface MonitorSchedulerOptions {
  /** Needs `maxRetriesPerRequest: null` (BullMQ workers); the worker duplicates it for blocking reads. */
  connection: Redis;
  keyPrefix: string;
  monitors: Monitors;
  inbox: AlertInbox;
  /** Where `url_env` names are read (config.secretEnv). */
  env: EnvLookup;
  log?: Logger;
  /** When given: the built-in tzero-steps queue monitor and the worker-heartbeat check run too. */
  selfWatch?: SelfWatch;
  /** Probes run at once per process (default 10). */
  concurrency?: number;
  /** Called after each run (tests, metrics). */
  onRun?: (job: MonitorJob, result: MonitorResult) => void;
}

export interface MonitorScheduler {
  /** Upserts a scheduler per monitor, removes those no longer in the file, starts the worker. */
  start(): Promise<void>;
  /** Stops this process's worker; the schedules stay in Redis for the other replicas and the next start. */
  stop(): Promise<void>;
  /** Upserts the schedules again (Redis came back empty and lost them). */
  reschedule(): Promise<void>;
  /** Scheduler ids now in Redis (`health-<id>`, `queue-<id>`, `self-workers`). */
  schedulerIds(): Promise<string[]>;
}

type Schedule = { every: number } | { pattern: string };
const scheduleOf = (m: { every?: number; cron?: string }): Schedule => (m.cron ? { pattern: m.cron } : { every: m.every! });

export function createMonitorScheduler(options: MonitorSchedulerOptions): MonitorScheduler {
  const { connection, keyPrefix, inbox, env, selfWatch } = options;
  const log = options.log ?? createLogger('silent');
  const monitors = selfWatch ? selfMonitors(options.monitors) : options.monitors;
  const health = new Map<string, HealthMonitor>(monitors.health.map((m) => [m.id, m]));
  const queues = new Map<string, QueueMonitor>(monitors.queues.map((m) => [m.id, m]));
  const prefix = `${keyPrefix}-bull`;
  const queue = new Queue<MonitorJob>(MONITOR_QUEUE, { connection, prefix });
  let worker: Worker<MonitorJob> | undefined;

  const wanted = (): Array<{ id: string; schedule: Schedule; job: MonitorJob }> => [
    ...monitors.health.map((m) => ({ id: `health-${m.id}`, schedule: scheduleOf(m), job: { kind: 'health' as const, id: m.id } })),
    ...monitors.queues.map((m) => ({ id: `queue-${m.id}`, schedule: scheduleOf(m), job: { kind: 'queue' as const, id: m.id } })),
    ...(selfWatch ? [{ id: 'self-workers', schedule: { every: SELF_CHECK_EVERY_MS }, job: { kind: 'self' as const, id: 'workers' as const } }] : []),
  ];

  const run = async (data: MonitorJob): Promise<MonitorResult> => {
    if (data.kind === 'self') return selfWatch?.checkWorkers();
    if (data.kind === 'health') {
      const monitor = health.get(data.id);
      // A job of a monitor this replica does not know (a newer file elsewhere): leave it be.
      return monitor ? runHealthMonitor({ redis: connection, keyPrefix, inbox }, monitor) : undefined;
    }
    const monitor = queues.get(data.id);
    if (!monitor) return undefined;
    const result = await runQueueMonitor({ redis: connection, keyPrefix, inbox, env }, monitor);
    if (result.error) log.warn({ monitor: monitor.id, error: result.error }, 'queue monitor cannot read its source');
    return result;
  };

  const upsert = async (schedules: ReturnType<typeof wanted>) => {
    for (const s of schedules) {
      await queue.upsertJobScheduler(s.id, s.schedule, {
        name: s.job.kind,
        data: s.job,
        // Runs leave no trail: state is in the monitor hashes; keep a few failures to debug.
        opts: { removeOnComplete: true, removeOnFail: { count: 20 } },
      });
    }
  };

  return {
    reschedule: () => upsert(wanted()),
    async start() {
      const schedules = wanted();
      await upsert(schedules);
      const keep = new Set(schedules.map((s) => s.id));
      for (const existing of await queue.getJobSchedulers(0, -1)) {
        const id = existing.key;
        if (!keep.has(id)) {
          await queue.removeJobScheduler(id);
          log.info({ scheduler: id }, 'monitor removed from schedule');
        }
      }
      worker = new Worker<MonitorJob>(
        MONITOR_QUEUE,
        async (job: Job<MonitorJob>) => {
          const result = await run(job.data);
          options.onRun?.(job.data, result);
        },
        { connection, prefix, concurrency: options.concurrency ?? 10 },
      );
      worker.on('failed', (job, err) => log.error({ job: job?.data, err }, 'monitor run failed'));
      worker.on('error', (err) => log.error({ err }, 'monitor worker error'));
      await worker.waitUntilReady();
    },
    async stop() {
      await worker?.close();
      worker = undefined;
      await queue.close();
    },
    async schedulerIds() {
      return (await queue.getJobSchedulers(0, -1)).map((s) => s.key).sort();
    },
  };
}
