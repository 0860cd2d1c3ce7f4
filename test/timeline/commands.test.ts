// The timeline commands through the Slack emulator, with a hand-moved clock: plan (in / at /
// tomorrow … zone), plans, roles with duties, handover (permissions at once, audited),
// reschedule and cancel; /cutover start of a timed runbook lists late steps and asks first.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { isDecision } from '../../src/engine/audit-events.js';
import type { Run } from '../../src/engine/types.js';
import { ManualClock, driveTo } from '../support/manual-clock.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const H = 3_600_000;
const D = 24 * H;
const NOW = Date.UTC(2027, 5, 1, 8, 0, 0);
const clock = new ManualClock(NOW);
let sys: System;
let bot: Tzero;

const book = (name: string) => `
name: ${name}
channel: C0CUTOVER
lock: ${name}
roles: { lead: { users: [U0LEAD], duties: "decides go/no-go" }, dns: { users: [U0COMMS], duties: "lowers and restores the TTL" } }
steps:
  - { id: lower-ttl, name: Lower TTL, uses: shell, with: { run: 'true' }, at: T-1d, owner: dns, phase: prepare }
  - { id: flip, uses: shell, with: { run: 'true' }, at: T-0, owner: lead, phase: window }
`;

beforeAll(async () => {
  sys = await startSystem({ clock, runbooks: { 'a.yml': book('alpha'), 'b.yml': book('beta') } });
  bot = await sys.startBot();
});
afterAll(async () => sys?.stop());

async function say(user: string, text: string): Promise<string> {
  const before = (await sys.slack.ephemerals(user)).length;
  await sys.slack.command({ user, channel: 'C0CUTOVER', text });
  const e = await sys.slack.waitFor(async (c) => (await c.ephemerals(user)).slice(before)[0], 10_000);
  return JSON.stringify(e.blocks ?? e.text);
}
const latest = async (name: string): Promise<Run> => waitUntil(async () => (await bot.engine.recentRuns(20)).find((r) => r.runbook.name === name), 10_000, name);

it('plans with `in 3d`, lists plans and roles, hands a role over with its permissions, reschedules and cancels', async () => {
  const planned = await say('U0LEAD', 'plan alpha in 3d');
  const run = await latest('alpha');
  expect(run.plan!.t0).toBe(NOW + 3 * D);
  expect(planned).toContain(`<!date^${(NOW + 3 * D) / 1000}^`);
  expect(planned).toContain('Lower TTL');
  expect(planned).toContain('<@U0COMMS>');

  expect(await say('U0LEAD', 'plan alpha tomorrow 13:00 Europe/London')).toMatch(/Lock alpha is taken by run/);
  expect(await say('U0LEAD', 'plans')).toContain(run.id);
  const roles = await say('U0LEAD', `roles ${run.id}`);
  expect(roles).toContain('lowers and restores the TTL');

  // Someone without a role may not cancel; after a handover of dns they may, at once.
  expect(await say('U0OUTSIDER', `cancel ${run.id}`)).toMatch(/can't start/);
  expect(await say('U0OUTSIDER', `handover ${run.id} dns <@U0OUTSIDER>`)).toMatch(/only the lead or its current holder/);
  expect(await say('U0COMMS', `handover ${run.id} dns <@U0OUTSIDER|outsider>`)).toContain('now holds');
  expect((await bot.engine.getRun(run.id))!.runbook.roles.dns).toEqual(['U0OUTSIDER']);

  expect(await say('U0OUTSIDER', `reschedule ${run.id} at 2027-06-10T13:00:00+02:00`)).toContain('Rescheduled');
  expect((await bot.engine.getRun(run.id))!.plan!.t0).toBe(Date.parse('2027-06-10T11:00:00Z'));
  expect(await say('U0OUTSIDER', `cancel ${run.id} vendor slipped`)).toContain('cancelled');
  const trail = (await bot.store.audit(run.id)).filter(isDecision).map((a) => `${a.kind}:${a.user}`);
  expect(trail).toEqual(['plan:U0LEAD', 'denied:U0OUTSIDER', 'denied:U0OUTSIDER', 'handover:U0COMMS', 'reschedule:U0OUTSIDER', 'cancel:U0OUTSIDER']);
});

it('/cutover start of a timed runbook is T-0 now: late T-minus steps are listed and run only after a click, marked late', async () => {
  const reply = await say('U0LEAD', 'start beta');
  expect(reply).toContain('already late');
  expect(reply).toContain('Lower TTL');
  const run = await latest('beta');
  await driveTo(bot.queue.queue, clock, clock.now() + 1000);
  expect((await bot.engine.getRun(run.id))!.steps[0]!.status).toBe('pending');
  const ask = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => JSON.stringify(e.blocks ?? []).includes('run_late')), 5000);
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: ask.ts, action_id: 'run_late' });
  await waitUntil(async () => (await bot.engine.getRun(run.id))!.plan!.awaitingLateConfirm === undefined, 10_000, 'confirmed');
  await driveTo(bot.queue.queue, clock, clock.now() + 1000);
  const done = await waitUntil(async () => { const r = await bot.engine.getRun(run.id); return r?.status === 'succeeded' ? r : null; }, 10_000, 'succeeded');
  expect(done.steps[0]!.late).toBeGreaterThanOrEqual(D);
  expect(done.steps[1]!.late).toBeUndefined();
  expect((await bot.store.audit(run.id)).filter(isDecision).map((a) => a.kind)).toEqual(['start', 'run_late']);
});
