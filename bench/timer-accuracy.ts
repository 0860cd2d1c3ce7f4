// Timer accuracy (issue #7): 200 timed steps, planned through the engine, fired by real BullMQ
// delayed jobs on the system clock. Measures startedAt − due for each step. 20 planned runs of
// 10 steps one second apart run side by side (different locks), so timers overlap as they would
// with several plans in flight. Target: p99 ≤ 2 s.
import { startSystem } from '../test/support/system.js';
import { summarize, type Summary } from './stats.js';

const RUNS = 20;
const STEPS = 10;

function runbook(i: number): string {
  const steps = Array.from({ length: STEPS }, (_, k) => `  - { id: s${k}, uses: shell, with: { run: 'true' }, at: T+${k}s }`).join('\n');
  return `name: timer-${i}\nchannel: C0CUTOVER\nroles: { lead: [U0LEAD] }\nsteps:\n${steps}\n`;
}

export async function measureTimerAccuracy(redisUrl: string): Promise<Summary & { late: number }> {
  process.env.REDIS_URL ??= redisUrl;
  const runbooks = Object.fromEntries(Array.from({ length: RUNS }, (_, i) => [`timer-${i}.yml`, runbook(i)]));
  const sys = await startSystem({ runbooks });
  try {
    const bot = await sys.startBot();
    const t0 = Date.now() + 3000;
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) ids.push((await bot.engine.plan({ runbook: `timer-${i}`, dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 })).id);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const runs = await Promise.all(ids.map((id) => bot.engine.getRun(id)));
      if (runs.every((r) => r && r.status !== 'planned' && r.status !== 'running')) {
        const delays = runs.flatMap((r) => r!.steps.map((s) => (s.startedAt ?? Number.NaN) - (s.due ?? Number.NaN)));
        return { ...summarize(delays), late: runs.flatMap((r) => r!.steps).filter((s) => s.late).length };
      }
      if (Date.now() > deadline) throw new Error('timer accuracy: runs did not finish within 120 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await sys.stop();
  }
}

if (process.argv[1]?.endsWith('timer-accuracy.ts')) {
  const { ensureRedis } = await import('../test/support/redis-server.js');
  const redis = await ensureRedis();
  console.log(await measureTimerAccuracy(redis.url));
  await redis.stop();
  process.exit(0);
}
