// npm run bench (issue #2 §9): ack latency beside bare Bolt, click-to-next-step latency, Slack
// calls per step and 429s under Slack's limits, peak RSS. Loopback only; prints a table and
// writes bench/results.json. A measurement, not a test: exits 0 on a MISS.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.js';
import { ensureRedis } from '../test/support/redis-server.js';
import { measureAcks } from './ack-latency.js';
import { BOT_TOKEN, killAll, SIGNING_SECRET } from './children.js';
import { measureClicks } from './click-latency.js';
import { startLocalServer } from './local-server.js';
import { printTable, writeResults, type Row } from './report.js';
import { measureSlackCalls } from './slack-calls.js';
import { benchSentryIngest } from './sentry-ingest.js';
import { measureFaults } from './faults.js';
import { benchAlertmanagerIngest } from './alertmanager-ingest.js';
import { measureTimerAccuracy } from './timer-accuracy.js';

const ACKS = 1000;
const STARTS = 500;
const CONCURRENCY = 50;
const CLICKS = 100;
const STEPS = 50;
const WATCHDOG_MS = 420_000; // the faults section alone waits out a 20 s Redis outage and group_wait

const loadAtStart = os.loadavg();
const t0 = performance.now();
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; stopping`);
  killAll();
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

const redis = await ensureRedis();
const emu = await startEmulator({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, rateLimits: true });
const local = await startLocalServer();
try {
  console.log(`1/4 ack latency: ${CONCURRENCY} concurrent clients, tzero and a bare Bolt app as child processes`);
  const ack = await measureAcks({ apiUrl: emu.apiUrl, redisUrl: redis.url, local, total: ACKS, startTotal: STARTS, concurrency: CONCURRENCY, warmup: 200 });
  console.log(`2/4 click-to-next-step latency: ${CLICKS} Approve clicks`);
  const click = await measureClicks({ apiUrl: emu.apiUrl, redisUrl: redis.url, local, samples: CLICKS, warmup: 5, gapMs: 10 });
  console.log(`3/4 Slack calls for a ${STEPS}-step run, emulator enforcing Slack's limits, real outbox pacing (about a minute)`);
  const calls = await measureSlackCalls({ redisUrl: redis.url, local, steps: STEPS });
  console.log('4/4 signed Sentry webhook ingest: 1,000/s for 10 s, then a ramp to find the sustained rate');
  const sentry = await benchSentryIngest({ redisUrl: redis.url });
  console.log('5/5 faults (issue #6): start -> ready (built), /readyz after a 20 s Redis outage, a new issue in an alert group -> Slack');
  const faults = await measureFaults();
  console.log('Alertmanager webhook ingest: 1,000 alerts/s for 10 s, one alert per notification');
  const am = await benchAlertmanagerIngest({ redisUrl: redis.url });
  console.log('Timer accuracy (issue #7): 200 timed steps on real delayed jobs'); const timers = await measureTimerAccuracy(redis.url);
  const benchMs = Math.round(performance.now() - t0);

  const s = ack.status;
  const st = ack.start;
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const rss = Math.max(ack.peakRssMb.tzero, click.peakRssMb, calls.peakRssMb);
  const rows: Row[] = [
    { metric: 'status ack p50 (tzero)', value: s.tzero.p50, unit: 'ms', detail: `bare Bolt ${s.bare.p50} ms` },
    { metric: 'status ack p99 (tzero)', value: s.tzero.p99, unit: 'ms', detail: `bare Bolt ${s.bare.p99} ms` },
    { metric: 'status ack p99 tzero/bare', value: ratio(s.tzero.p99, s.bare.p99), unit: 'x', target: { op: '<=', value: 1.25 } },
    { metric: 'status CPU per request (tzero)', value: s.tzero.cpuMsPerReq, unit: 'ms', detail: `bare Bolt ${s.bare.cpuMsPerReq} ms; bot process user+system, reply included` },
    { metric: 'start ack p50 (tzero)', value: st.tzero.p50, unit: 'ms', detail: `bare Bolt ${st.bare.p50} ms` },
    { metric: 'start ack p99 (tzero)', value: st.tzero.p99, unit: 'ms', detail: `bare Bolt ${st.bare.p99} ms; ${st.realStarts} real starts, ${st.refused} refused` },
    { metric: 'start ack p99 tzero/bare', value: ratio(st.tzero.p99, st.bare.p99), unit: 'x', target: { op: '<=', value: 1.25 } },
    { metric: 'start CPU per request (tzero)', value: st.tzero.cpuMsPerReq, unit: 'ms', detail: `bare Bolt ${st.bare.cpuMsPerReq} ms; tzero's includes the run's creation, card and first step job` },
    { metric: 'click -> next approval awaiting p50', value: click.toAwaiting.p50, unit: 'ms', detail: 'seen by polling Redis every ~1 ms' },
    { metric: 'click -> next approval awaiting p99', value: click.toAwaiting.p99, unit: 'ms', target: { op: '<=', value: 50 } },
    { metric: 'click -> next step startedAt p50', value: click.toStartedAt.p50, unit: 'ms', detail: 'startedAt in the run record' },
    { metric: 'click -> next step startedAt p99', value: click.toStartedAt.p99, unit: 'ms', target: { op: '<=', value: 50 } },
    { metric: `Slack Web API calls per step (${STEPS} steps)`, value: calls.callsPerStep, unit: '', target: { op: '<=', value: 2.5 }, detail: Object.entries(calls.byMethod).map(([m, c]) => `${m} ${c.calls}`).join(', ') },
    { metric: 'Slack 429s', value: calls.ratelimited, unit: '', target: { op: '=', value: 0 } },
    { metric: `${STEPS}-step run: start -> all delivered`, value: Math.round(calls.totalMs / 100) / 10, unit: 's', detail: `run itself ${(calls.runMs / 1000).toFixed(1)} s; posts paced 1/s per channel` },
    { metric: 'Sentry ingest ack p50 @ 1,000/s', value: sentry.main.p50, unit: 'ms', detail: `${sentry.main.ok} ok, ${sentry.main.errors} errors, ${sentry.main.achievedPerSec}/s achieved; server CPU ${sentry.main.serverCpuMsPerReq} ms/request` },
    { metric: 'Sentry ingest ack p99 @ 1,000/s', value: sentry.main.p99, unit: 'ms', target: { op: '<=', value: 20 }, detail: `max ${sentry.main.max} ms; longest stall of the generator's event loop ${sentry.main.generatorStallMaxMs} ms` },
    { metric: 'Sentry ingest sustained rate', value: sentry.sustainedPerSec, unit: '/s', target: { op: '>=', value: 2000 }, detail: sentry.ramp.map((r) => `${r.rate}/s p99 ${r.p99} ms`).join(', ') },
    { metric: 'Sentry alerts lost (accepted - in stream)', value: sentry.lost, unit: '', target: { op: '=', value: 0 }, detail: `${sentry.accepted} accepted, ${sentry.inStream} in the inbox stream` },
    ...faults.rows,
    { metric: 'timer accuracy p99 (start - due), 200 timed steps', value: timers.p99, unit: 'ms', target: { op: '<=', value: 2000 }, detail: `p50 ${timers.p50} ms, max ${timers.max} ms, ${timers.late} marked late` },
    { metric: 'Alertmanager ingest ack p99 @ 1,000 alerts/s', value: am.p99, unit: 'ms', target: { op: '<=', value: 20 }, detail: `p50 ${am.p50} ms, max ${am.max} ms; ${am.ok} ok, ${am.errors} errors, ${am.achievedPerSec}/s achieved; server CPU ${am.serverCpuMsPerReq} ms/request; p99 split: generator loop ${am.callLag.p99} ms, until written ${am.sendLag.p99} ms, server handler ${am.server.handler.p99} ms (Redis ${am.server.redis.p99} ms); load ${am.loadAverage.join('→')}` },
    { metric: 'Alertmanager alerts lost (accepted - in stream)', value: am.lost, unit: '', target: { op: '=', value: 0 }, detail: `${am.accepted} accepted, ${am.inStream} in the inbox stream; warm-up errors ${am.warmupErrors}` },
    { metric: 'peak RSS of tzero (VmHWM)', value: Math.round(rss), unit: 'MB', detail: `bare Bolt child ${Math.round(ack.peakRssMb.bareBolt)} MB (both under the tsx loader)` },
  ];
  rows.push(...(await (await import('./scan-event-loop.js')).benchScanEventLoop())); // issue #6 §2: event loop while a 1 MB runbook is scanned
  printTable(rows);
  const notes = [
    `Everything on loopback; tzero and the bare Bolt app run as child processes (node --import tsx), the load generator and the Slack emulator in the bench process, the response_url sink in its own process (so receiving tzero's replies, which bare Bolt never sends, does not slow the generator and with it the timing of tzero's acks; on ${os.cpus().length} cpus the sink's CPU still competes with everything else), Redis at ${redis.url}.`,
    `The ack tests are closed loops on a shared machine: latency is about clients / throughput, and throughput is bound by the CPU of all processes together (bot, generator, sink, Redis). The bot's own CPU per request (from /proc, timed parts plus waiting for tzero's replies) is in the table beside the latencies.`,
    `status: ${ACKS} signed /cutover status per bot from ${CONCURRENCY} clients (mean in flight: bare ${s.bare.meanInFlight}, tzero ${s.tzero.meanInFlight}), in alternating halves, after 200 warm-up requests each.`,
    `start: ${STARTS} signed /cutover start per bot, in bursts of ${CONCURRENCY} sent at once (one per runbook: ${CONCURRENCY} runbooks with distinct names and locks, each a single approval step). For tzero, before each burst the bench frees those locks (held by the previous burst's runs, left awaiting approval), and after it waits (untimed) for all ${CONCURRENCY} answers on response_url: ${st.realStarts} real starts, ${st.refused} refused. Mean acks in flight during bursts: bare ${st.bare.meanInFlight}, tzero ${st.tzero.meanInFlight}.`,
    'click: one run of approval steps; each signed block_actions Approve (as U0LEAD) sent straight to tzero; 5 warm-up clicks, 10 ms between clicks.',
    `Slack calls: counted by the emulator (rateLimits: true) from the start command until the outbox was drained; tzero on defaultOutboxOptions.`,
    `Peak RSS: /proc/<pid>/status VmHWM of each tzero child (ack ${Math.round(ack.peakRssMb.tzero)} MB, click ${Math.round(click.peakRssMb)} MB, calls ${Math.round(calls.peakRssMb)} MB); tzero only, but including the tsx loader.`,
  ];
  notes.push('Sentry ingest: the POST /webhooks/sentry route on a Bolt app in a child process with the Redis inbox; open-loop generator, distinct signed event_alert bodies. Delivery to Slack from the inbox (grouping, bounded message count under a 500-event storm, counts adding up) is covered by test/e2e/alerts.test.ts.');
  writeResults(path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json'), { rows, details: { ack, click, calls, sentry, alertmanager: am, faults: faults.details }, loadAtStart, benchMs, notes });
  console.log(`\nbench took ${(benchMs / 1000).toFixed(1)} s; load average (1 min) ${loadAtStart[0]!.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after, on ${os.cpus().length} cpus; wrote bench/results.json`);
} finally {
  clearTimeout(watchdog);
  killAll();
  await local.close();
  await emu.close();
  await redis.stop();
}
