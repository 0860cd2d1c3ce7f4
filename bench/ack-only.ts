// The ack-latency section of the bench alone (for profiling: BENCH_NODE_ARGS="--cpu-prof
// --cpu-prof-dir=/tmp/prof" npx tsx bench/ack-only.ts). Prints the figures as JSON.
import { startEmulator } from '../emulator/server.js';
import { ensureRedis } from '../test/support/redis-server.js';
import { measureAcks } from './ack-latency.js';
import { BOT_TOKEN, killAll, SIGNING_SECRET } from './children.js';
import { startLocalServer } from './local-server.js';

const redis = await ensureRedis();
const emu = await startEmulator({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, rateLimits: true });
const local = await startLocalServer();
try {
  const ack = await measureAcks({ apiUrl: emu.apiUrl, redisUrl: redis.url, local, total: Number(process.env.ACKS ?? 1000), startTotal: Number(process.env.STARTS ?? 500), concurrency: 50, warmup: 200 });
  const r = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.log(JSON.stringify({ status: ack.status, start: ack.start, ratio: { status: r(ack.status.tzero.p99, ack.status.bare.p99), start: r(ack.start.tzero.p99, ack.start.bare.p99) } }, null, 1));
} finally {
  killAll();
  await local.close();
  await emu.close();
  await redis.stop();
}
