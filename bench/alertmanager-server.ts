// The Alertmanager webhook ingest alone, as tzero runs it (a Bolt App, HTTPReceiver,
// customRoutes, the Redis inbox), in its own process for bench/alertmanager-ingest.ts.
// Over IPC it reports what happened inside the server (handler time, Redis time, event-loop
// delay, GC pauses) so a latency tail can be placed: server, Redis, or the generator.
import { App, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { alertmanagerWebhookRoute } from '../src/alerts/alertmanager/route.js';
import { RedisAlertInbox } from '../src/alerts/inbox.js';
import type { AlertEvent, AlertInbox } from '../src/alerts/types.js';
import { createLogger } from '../src/log.js';
import { summarize } from './stats.js';

const env = process.env;
const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
const inbox = new RedisAlertInbox(redis, env.TZERO_KEY_PREFIX!);
const log = createLogger('warn', 'alertmanager-bench');

let handlerMs: number[] = [];
let redisMs: number[] = [];
let gcPauses: number[] = [];
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
new PerformanceObserver((list) => list.getEntries().forEach((e) => gcPauses.push(e.duration))).observe({ entryTypes: ['gc'] });
const timedInbox: AlertInbox = {
  accept: async (e: AlertEvent) => {
    const t = performance.now();
    try { return await inbox.accept(e); } finally { redisMs.push(performance.now() - t); }
  },
};
const route = alertmanagerWebhookRoute({ token: env.ALERTMANAGER_TOKEN, inbox: timedInbox, log });
const handler = route.handler;
route.handler = (req, res) => {
  const t = performance.now();
  res.once('finish', () => handlerMs.push(performance.now() - t));
  handler(req, res);
};
const app = new App({
  signingSecret: 'bench-slack-signing-secret', token: 'xoxb-bench', tokenVerificationEnabled: false, logLevel: LogLevel.WARN,
  customRoutes: [route],
});
await app.start(Number(env.PORT));
process.on('message', (m: string) => {
  if (m === 'reset') {
    handlerMs = []; redisMs = []; gcPauses = []; loop.reset();
  } else if (m === 'stats') {
    const r = (x: number) => Math.round(x * 10) / 10;
    process.send!({
      handler: summarize(handlerMs), redis: summarize(redisMs),
      loopDelayP99Ms: r(loop.percentile(99) / 1e6), loopDelayMaxMs: r(loop.max / 1e6),
      gcCount: gcPauses.length, gcMaxMs: r(Math.max(0, ...gcPauses)), gcTotalMs: r(gcPauses.reduce((a, b) => a + b, 0)),
    });
  }
});
process.on('SIGTERM', () => void app.stop().then(() => redis.quit()).finally(() => process.exit(0)));
process.stdout.write('ready\n');
