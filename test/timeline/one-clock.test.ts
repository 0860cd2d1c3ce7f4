// One clock: a `wait for: 3d` and a 2 h rollback window run through real BullMQ delayed jobs
// in real Redis, driven by a hand-moved clock, in seconds. Nothing moves until the clock does.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { ManualClock, driveTo, settle } from '../support/manual-clock.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const T = Date.UTC(2027, 4, 5, 9, 0, 0);
const DAY = 86_400_000;
const clock = new ManualClock(T);
let sys: System;
let bot: Tzero;

beforeAll(async () => {
  sys = await startSystem({
    clock,
    runbooks: {
      'week.yml': `
name: week
channel: C0CUTOVER
roles: { lead: [U0LEAD] }
steps:
  - { id: settle-dns, uses: wait, with: { for: 3d } }
  - { id: flip, uses: shell, with: { run: 'true' } }
watch: { for: 2h }
`,
    },
  });
  bot = await sys.startBot();
});
afterAll(async () => sys?.stop());

it('a three-day wait and a two-hour window end when the clock says so, not before', async () => {
  await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: 'start week' });
  const run = await waitUntil(async () => (await bot.engine.recentRuns(1)).find((r) => r.steps[0]!.status === 'waiting'), 10_000, 'waiting');
  expect(run.steps[0]!.waitUntil).toBe(T + 3 * DAY);
  await settle(bot.queue.queue);
  expect((await bot.engine.getRun(run.id))!.status).toBe('running');

  await driveTo(bot.queue.queue, clock, T + 3 * DAY - 1000);
  expect((await bot.engine.getRun(run.id))!.steps[0]!.status).toBe('waiting');

  await driveTo(bot.queue.queue, clock, T + 3 * DAY + 60_000);
  const watching = (await bot.engine.getRun(run.id))!;
  expect(watching.status).toBe('watching');
  expect(watching.steps[0]!.endedAt).toBe(T + 3 * DAY);
  expect(watching.watch!.until).toBe(T + 3 * DAY + 2 * 3_600_000);

  await driveTo(bot.queue.queue, clock, T + 4 * DAY);
  const done = (await bot.engine.getRun(run.id))!;
  expect(done.status).toBe('succeeded');
  expect(done.endedAt).toBe(T + 3 * DAY + 2 * 3_600_000);
});
