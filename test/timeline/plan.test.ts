// A planned run from T-7d to T+48h, driven by a hand-moved clock through real BullMQ delayed
// jobs in real Redis and the Slack emulator: reminders mention the owner in the run thread,
// each timed step starts at its time (not before, not late), the lock is taken at the first
// step of the window, the window closes and the after-window step runs two days later without
// the lock. Also: a conflicting plan is refused naming the other, cancel and reschedule.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { isDecision } from '../../src/engine/audit-events.js';
import type { Run } from '../../src/engine/types.js';
import { ManualClock, driveTo } from '../support/manual-clock.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const H = 3_600_000;
const D = 24 * H;
const NOW = Date.UTC(2027, 4, 1, 9, 0, 0);
const T0 = NOW + 10 * D;
const clock = new ManualClock(NOW);
let sys: System;
let bot: Tzero;

const goLive = (name: string) => `
name: ${name}
channel: C0CUTOVER
lock: site
roles: { lead: { users: [U0LEAD], duties: runs the window }, dns: [U0DNS] }
steps:
  - { id: announce, uses: notify, with: { text: "Cutover in a week" }, at: T-7d, owner: lead, phase: prepare }
  - { id: lower-ttl, uses: shell, with: { run: 'true' }, at: T-1d, owner: dns, remind: [1d, 1h], phase: prepare }
  - { id: check-ttl, uses: shell, with: { run: 'true' }, phase: prepare }
  - { id: flip, uses: shell, with: { run: 'true' }, at: T-0, owner: lead, phase: window }
  - { id: smoke, uses: shell, with: { run: 'true' }, phase: window }
watch: { for: 2h }
after_window:
  - { id: restore-ttl, uses: shell, with: { run: 'true' }, at: T+48h, owner: dns, phase: after }
`;

beforeAll(async () => {
  sys = await startSystem({
    clock,
    runbooks: {
      'go-live.yml': goLive('go-live'), 'other.yml': goLive('other'),
      'plain.yml': 'name: plain\nchannel: C0CUTOVER\nroles: { lead: [U0LEAD] }\nsteps:\n  - { id: hold, uses: wait, with: { for: 1d } }\n',
    },
  });
  bot = await sys.startBot();
});
afterAll(async () => sys?.stop());

const get = async (id: string): Promise<Run> => (await bot.engine.getRun(id))!;
const step = (r: Run, id: string) => r.steps.find((s) => s.id === id)!;
const thread = async (id: string) => (await sys.slack.messages('C0CUTOVER')).find((m) => JSON.stringify(m).includes(id))?.replies.map((r) => r.text) ?? [];

it('runs a T-7d … T+48h plan on its times, reminding owners and taking the lock only for the window', async () => {
  const run = await bot.engine.plan({ runbook: 'go-live', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0: T0 });
  expect(run.status).toBe('planned');
  expect(step(run, 'announce').due).toBe(T0 - 7 * D);
  expect(step(run, 'restore-ttl')).toMatchObject({ due: T0 + 48 * H, afterWindow: true });

  // Another plan on the same lock is refused at planning time, naming this one.
  await expect(bot.engine.plan({ runbook: 'other', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0: T0 + 20 * D })).rejects.toThrow(new RegExp(`Lock site is taken by run ${run.id} \\(go-live\\)`));

  const q = bot.queue.queue;
  await driveTo(q, clock, T0 - 7 * D - 1);
  expect((await get(run.id)).status).toBe('planned');
  await driveTo(q, clock, T0 - 7 * D + 1000);
  const announced = await get(run.id);
  expect(step(announced, 'announce')).toMatchObject({ status: 'done', startedAt: T0 - 7 * D });
  expect(step(announced, 'announce').late).toBeUndefined();
  expect(announced.plan!.locked).toBe(false); // preparation holds no lock

  await driveTo(q, clock, T0 - 1 * D + 1000);
  const prepared = await get(run.id);
  expect(step(prepared, 'lower-ttl').startedAt).toBe(T0 - D);
  expect(step(prepared, 'check-ttl').status).toBe('done'); // followed the previous step
  expect(prepared.plan!.locked).toBe(false);
  const reminders = await sys.slack.waitFor(async () => {
    const t = (await thread(run.id)).filter((x) => x.includes('reminder'));
    return t.length >= 2 ? t : null;
  }, 10_000);
  expect(reminders.some((x) => x.includes('<@U0DNS>') && x.includes('Lower') || x.includes('<@U0DNS>') && x.includes('lower-ttl'))).toBe(true);
  expect(reminders.filter((x) => x.includes('lower-ttl'))).toHaveLength(2); // 1d and 1h before

  await driveTo(q, clock, T0 + 60_000);
  const window = await get(run.id);
  expect(step(window, 'flip').startedAt).toBe(T0);
  expect(window.status).toBe('watching');
  expect(window.plan!.locked).toBe(true);

  await driveTo(q, clock, T0 + 3 * H);
  const after = await get(run.id);
  expect(after.status).toBe('after_window');
  expect(step(after, 'restore-ttl').status).toBe('pending');
  // Out of the window the lock is free: another cutover on it may be planned.
  const other = await bot.engine.plan({ runbook: 'other', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0: T0 + 30 * D });
  await bot.engine.cancel(other.id, 'U0LEAD', 'only checking the lock');

  await driveTo(q, clock, T0 + 49 * H);
  const done = await get(run.id);
  expect(done.status).toBe('succeeded');
  expect(step(done, 'restore-ttl').startedAt).toBe(T0 + 48 * H);
  const trail = (await bot.store.audit(run.id)).filter(isDecision).map((a) => a.kind);
  expect(trail[0]).toBe('plan');
});

it('reschedule moves T-0 and every pending timed step; the old timers do nothing', async () => {
  const t0 = clock.now() + 8 * D;
  const run = await bot.engine.plan({ runbook: 'go-live', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  await bot.engine.reschedule(run.id, 'U0LEAD', t0 + 3 * D);
  const moved = await get(run.id);
  expect(moved.plan).toMatchObject({ t0: t0 + 3 * D, gen: 2 });
  expect(step(moved, 'lower-ttl').due).toBe(t0 + 2 * D);
  // The old T-1d (t0 - 1d) passes: nothing starts.
  await driveTo(bot.queue.queue, clock, t0 + 60_000);
  const still = await get(run.id);
  expect(step(still, 'lower-ttl').status).toBe('pending');
  expect(step(still, 'announce').startedAt).toBe(t0 - 4 * D); // T-7d of the new T-0
  await driveTo(bot.queue.queue, clock, t0 + 2 * D + 1000);
  expect(step(await get(run.id), 'lower-ttl').startedAt).toBe(t0 + 2 * D);
  // Cancel before T-0: cancelled, its pending steps cancelled, audited.
  const cancelled = await bot.engine.cancel(run.id, 'U0LEAD', 'vendor delay');
  expect(cancelled.status).toBe('cancelled');
  expect(step(cancelled, 'flip').status).toBe('skipped');
  await driveTo(bot.queue.queue, clock, t0 + 10 * D);
  expect(step(await get(run.id), 'flip').startedAt).toBeUndefined();
  expect((await bot.store.audit(run.id)).filter(isDecision).map((a) => a.kind)).toEqual(['plan', 'reschedule', 'cancel']);
});

it('a plan whose T-minus steps are already past waits for a confirmation, then runs them marked late', async () => {
  const t0 = clock.now() + 3 * D;
  const run = await bot.engine.plan({ runbook: 'go-live', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  expect(run.plan!.awaitingLateConfirm).toEqual(['announce']);
  await driveTo(bot.queue.queue, clock, clock.now() + 60_000);
  expect(step(await get(run.id), 'announce').status).toBe('pending'); // never run silently
  await expect(bot.engine.runLate(run.id, 'U0NOBODY')).rejects.toThrow(/can't start/);
  await bot.engine.runLate(run.id, 'U0LEAD');
  await driveTo(bot.queue.queue, clock, clock.now() + 1000);
  const ran = step(await get(run.id), 'announce');
  expect(ran.status).toBe('done');
  expect(ran.late).toBeGreaterThan(3 * D);
  const late = await sys.slack.waitFor(async () => (await thread(run.id)).find((t) => t.includes('announce') && t.includes('late')), 10_000);
  expect(late).toMatch(/starts \d+h.* late/);
  await bot.engine.cancel(run.id, 'U0LEAD', 'done testing');
});

it('a plan for later does not hide the run live in the channel; once it begins, it is the channel run', async () => {
  const live = await bot.engine.start({ runbook: 'plain', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER' });
  const t0 = clock.now() + 8 * D;
  const plan = await bot.engine.plan({ runbook: 'go-live', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  expect((await bot.engine.activeRun('C0CUTOVER'))!.id).toBe(live.id);
  await bot.engine.abort(live.id, 'U0LEAD');
  await driveTo(bot.queue.queue, clock, t0 - 7 * D + 1000);
  expect((await bot.engine.activeRun('C0CUTOVER'))!.id).toBe(plan.id);
  await bot.engine.cancel(plan.id, 'U0LEAD', 'done');
});
