// Durable timers. (1) Real time, real BullMQ delayed jobs, two replicas, T-10s … T+10s: every
// timed step and reminder fires once, never early. (2) A restart between two reminders (hand-
// moved clock): the missed reminder and step fire at once when tzero is back, the step marked late.
// (3) A rollback during the window cancels the after-window step and does not undo the preparation.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { ManualClock, driveTo, settle } from '../support/manual-clock.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const systems: System[] = [];
afterAll(async () => {
  for (const s of systems) await s.stop();
});
const log = path.join(os.tmpdir(), `tz-durable-${process.pid}`);
const lines = (suffix: string): string[] => {
  try {
    return readFileSync(`${log}-${suffix}`, 'utf8').trim().split('\n');
  } catch {
    return [];
  }
};
const thread = async (sys: System, id: string) => (await sys.slack.messages('C0CUTOVER')).find((m) => JSON.stringify(m).includes(id))?.replies.map((r) => r.text) ?? [];
const step = (r: Run, id: string) => r.steps.find((s) => s.id === id)!;

const book = (suffix: string, watch: string, remind: string) => `
name: timed
channel: C0CUTOVER
roles: { lead: [U0LEAD], dns: [U0SECOND] }
steps:
  - { id: prep, uses: shell, with: { run: 'echo prep >> "${log}-${suffix}"' }, at: T-4s, owner: dns, remind: ${remind}, phase: prepare }
  - { id: flip, uses: shell, with: { run: 'echo flip >> "${log}-${suffix}"' }, undo: { uses: shell, with: { run: 'echo unflip >> "${log}-${suffix}"' } }, at: T-0, owner: lead }
watch: { for: ${watch} }
after_window:
  - { id: restore, uses: shell, with: { run: 'echo restore >> "${log}-${suffix}"' }, at: T+8s, owner: dns }
`;

it('two replicas on real delayed jobs, T-10s … T+10s: each timer fires once and never early', async () => {
  const sys = await startSystem({ runbooks: { 't.yml': book('real', '2s', '[3s]') } });
  systems.push(sys);
  const a = await sys.startBot();
  await sys.startBot();
  const t0 = Date.now() + 10_000;
  const run = await a.engine.plan({ runbook: 'timed', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  const done = await waitUntil(async () => { const r = await a.engine.getRun(run.id); return r?.status === 'succeeded' ? r : null; }, 40_000, 'succeeded');
  expect(lines('real')).toEqual(['prep', 'flip', 'restore']);
  for (const s of done.steps) expect(s.startedAt!).toBeGreaterThanOrEqual(s.due ?? 0);
  expect(step(done, 'restore').startedAt!).toBeGreaterThanOrEqual(done.watch!.until);
  const reminders = (await thread(sys, run.id)).filter((t) => t.includes('reminder'));
  expect(reminders).toHaveLength(1);
  expect(reminders[0]).toContain('<@U0SECOND>');
});

it('a restart between two reminders: the missed reminder and the step fire when tzero is back, the step marked late', async () => {
  const T = Date.UTC(2027, 6, 1, 12, 0, 0);
  const clock = new ManualClock(T);
  const sys = await startSystem({ clock, runbooks: { 't.yml': book('restart', '1h', '[2d, 1d]') } });
  systems.push(sys);
  let bot: Tzero = await sys.startBot();
  const t0 = T + 5 * 86_400_000;
  const run = await bot.engine.plan({ runbook: 'timed', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  await driveTo(bot.queue.queue, clock, t0 - 2 * 86_400_000 + 1000); // the 2d reminder
  await sys.slack.waitFor(async () => (await thread(sys, run.id)).find((t) => t.includes('reminder')), 10_000);
  await bot.stop();
  // Down across the 1d reminder: it is posted once tzero is back.
  clock.set(t0 - 12 * 3_600_000);
  bot = await sys.startBot();
  await driveTo(bot.queue.queue, clock, clock.now());
  const reminders = await sys.slack.waitFor(async () => { const t = (await thread(sys, run.id)).filter((x) => x.includes('reminder')); return t.length === 2 ? t : null; }, 10_000);
  expect(reminders.every((x) => x.includes('<@U0SECOND>'))).toBe(true);
  await bot.stop();
  // Down across the step times: they start at once when tzero is back, marked late.
  clock.set(t0 + 60_000);
  bot = await sys.startBot();
  await driveTo(bot.queue.queue, clock, t0 + 60_000);
  const r = await waitUntil(async () => { const x = await bot.engine.getRun(run.id); return step(x!, 'flip').status === 'done' ? x : null; }, 10_000, 'flip done');
  expect(step(r!, 'prep').late).toBe(64_000);
  expect(step(r!, 'flip').late).toBe(60_000);
  await sys.slack.waitFor(async () => (await thread(sys, run.id)).filter((t) => /starts 1m\d*s? late/.test(t)).length === 2 || null, 10_000);
  expect((await thread(sys, run.id)).filter((x) => x.includes('reminder'))).toHaveLength(2);
});

it('a rollback during the window cancels the after-window step; the preparation is not undone by it', async () => {
  const T = Date.UTC(2027, 7, 1, 12, 0, 0);
  const clock = new ManualClock(T);
  const sys = await startSystem({ clock, runbooks: { 't.yml': book('rollback', '2h', '[1h]') } });
  systems.push(sys);
  const bot = await sys.startBot();
  const t0 = T + 3_600_000;
  const run = await bot.engine.plan({ runbook: 'timed', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  await driveTo(bot.queue.queue, clock, t0 + 60_000);
  expect((await bot.engine.getRun(run.id))!.status).toBe('watching');
  await bot.engine.rollback(run.id, 'U0LEAD', 'errors up');
  await settle(bot.queue.queue);
  const back = await waitUntil(async () => { const x = await bot.engine.getRun(run.id); return x && ['rolled_back', 'partially_rolled_back'].includes(x.status) ? x : null; }, 10_000, 'rolled back');
  expect(step(back, 'restore')).toMatchObject({ status: 'skipped', note: expect.stringMatching(/cancelled/) });
  await driveTo(bot.queue.queue, clock, t0 + 3 * 86_400_000);
  expect(lines('rollback')).toEqual(['prep', 'flip', 'unflip']);
});

it('a restart between two timed steps does not start the next one early', async () => {
  const T = Date.UTC(2027, 9, 1, 12, 0, 0);
  const clock = new ManualClock(T);
  const sys = await startSystem({ clock, runbooks: { 't.yml': book('between', '1m', '[1h]') } });
  systems.push(sys);
  let bot: Tzero = await sys.startBot();
  const t0 = T + 3_600_000;
  const run = await bot.engine.plan({ runbook: 'timed', dryRun: false, user: 'U0LEAD', channel: 'C0CUTOVER', t0 });
  await driveTo(bot.queue.queue, clock, t0 - 2000);
  expect(step((await bot.engine.getRun(run.id))!, 'prep').status).toBe('done');
  await bot.stop();
  bot = await sys.startBot(); // recovers the running run
  await settle(bot.queue.queue);
  expect(step((await bot.engine.getRun(run.id))!, 'flip').status).toBe('pending');
  await driveTo(bot.queue.queue, clock, t0 + 1000);
  const r = await waitUntil(async () => { const x = await bot.engine.getRun(run.id); return step(x!, 'flip').status === 'done' ? x : null; }, 10_000, 'flip done');
  expect(step(r, 'flip').startedAt).toBe(t0);
});
