// tzero's Prometheus metrics, on a registry of its own per tzero instance (tests run several
// bots in one process; the global registry would mix them). Labels are bounded sets only: step
// types, statuses, Slack method names, alert sources — never run, user, channel or alert ids.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from sub-second steps to a 4 h database sync. */
const STEP_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 4 * 3600];
/** Seconds: humans answer in seconds to hours. */
const APPROVAL_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600];
/** Seconds: the outbox paces posts (1/s per channel) and edits (budget per minute). */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface Metrics {
  registry: Registry;
  /** Runs in progress by status (collected at scrape time). */
  runs: Gauge<'status'>;
  runsFinished: Counter<'status' | 'dry_run'>;
  stepDuration: Histogram<'type' | 'result'>;
  approvalWait: Histogram<'result'>;
  rollbacks: Counter<'trigger'>;
  slackCalls: Counter<'method' | 'outcome'>;
  slackRateLimited: Counter<'method'>;
  outboxLag: Histogram<'kind'>;
  alertIngest: Counter<'source' | 'result'>;
  queueJobs: Gauge<'state'>;
  stalledJobs: Counter;
  redisReconnects: Counter<'connection'>;
  /** Set by the composition root: what the gauges read at scrape time. */
  sources: {
    runsByStatus?: () => Promise<Record<string, number>>;
    queueCounts?: () => Promise<Record<string, number>>;
  };
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const sources: Metrics['sources'] = {};
  const gaugeFrom = (g: Gauge<string>, label: string, read: () => Promise<Record<string, number>> | undefined) => async () => {
    // A status no run is in any more drops to absent, not to a stale count; and when Redis cannot
    // be read the series are absent (unknown) while the process metrics are still served.
    g.reset();
    const values = await read()?.catch(() => undefined);
    for (const [k, v] of Object.entries(values ?? {})) g.set({ [label]: k }, v);
  };
  const runs: Gauge<'status'> = new Gauge({
    name: 'tzero_runs', help: 'Runs in progress (not ended) by status', labelNames: ['status'], registers,
    collect: () => gaugeFrom(runs, 'status', () => sources.runsByStatus?.())(),
  });
  const queueJobs: Gauge<'state'> = new Gauge({
    name: 'tzero_queue_jobs', help: 'Jobs in the step queue by BullMQ state', labelNames: ['state'], registers,
    collect: () => gaugeFrom(queueJobs, 'state', () => sources.queueCounts?.())(),
  });
  return {
    registry, sources, runs, queueJobs,
    runsFinished: new Counter({ name: 'tzero_runs_finished_total', help: 'Runs that reached an end status (succeeded, rehearsed, failed, aborted, rolled_back, partially_rolled_back, rollback_failed)', labelNames: ['status', 'dry_run'], registers }),
    stepDuration: new Histogram({ name: 'tzero_step_duration_seconds', help: 'Step run time from start to end, by step type and result', labelNames: ['type', 'result'], buckets: STEP_BUCKETS, registers }),
    approvalWait: new Histogram({ name: 'tzero_approval_wait_seconds', help: 'Time an approval step waited for its decision', labelNames: ['result'], buckets: APPROVAL_BUCKETS, registers }),
    rollbacks: new Counter({ name: 'tzero_rollbacks_total', help: 'Rollbacks started, by who triggered them (human, or tzero on a watch trigger)', labelNames: ['trigger'], registers }),
    slackCalls: new Counter({ name: 'tzero_slack_api_calls_total', help: 'Slack Web API HTTP calls by method and outcome', labelNames: ['method', 'outcome'], registers }),
    slackRateLimited: new Counter({ name: 'tzero_slack_api_ratelimited_total', help: 'Slack Web API answers 429 (rate limited) by method', labelNames: ['method'], registers }),
    outboxLag: new Histogram({ name: 'tzero_outbox_lag_seconds', help: 'From a state change to Slack showing it (post or edit delivered), by message kind', labelNames: ['kind'], buckets: LAG_BUCKETS, registers }),
    alertIngest: new Counter({ name: 'tzero_alert_ingest_total', help: 'Alerts received by source and result (accepted, duplicate, or why refused)', labelNames: ['source', 'result'], registers }),
    stalledJobs: new Counter({ name: 'tzero_queue_stalled_jobs_total', help: 'Step jobs BullMQ found stalled (their worker stopped renewing the lock) and moved back', registers }),
    redisReconnects: new Counter({ name: 'tzero_redis_reconnects_total', help: 'Reconnection attempts of tzero’s Redis connections', labelNames: ['connection'], registers }),
  };
}
