// Approvals: who may decide, double clicks counted once, min approvers, confirm_text typed in a
// modal, reject, expiry, and stale buttons answered politely.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;

const book = (name: string, withBlock: string) => `
name: ${name}
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND], comms: [U0COMMS] }
vars: { domain: restarters.net }
steps:
  - id: gate
    uses: approval
    with: ${withBlock}
  - { id: after, uses: notify, with: { text: "gate passed" } }
`;

beforeAll(async () => {
  sys = await startSystem({
    runbooks: {
      'two.yml': book('two', '{ prompt: "Two of you", approvers: [lead, second, comms], min: 2 }'),
      'typed.yml': book('typed', '{ prompt: "Flip ${{ vars.domain }}?", approvers: [lead], confirm_text: "${{ vars.domain }}" }'),
      'self.yml': book('self', '{ prompt: "Self?", approvers: [lead] }'),
      'expiring.yml': book('expiring', '{ prompt: "Quick", approvers: [lead], timeout: 1s }'),
    },
  });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

async function startAndWait(name: string, user = 'U0SECOND') {
  const before = new Set((await bot.engine.recentRuns(50)).map((r) => r.id));
  await sys.slack.command({ user, channel: 'C0CUTOVER', text: `start ${name}` });
  const run = await waitUntil(async () => (await bot.engine.recentRuns(10)).find((r) => r.runbook.name === name && !before.has(r.id) && r.steps[0]!.status === 'awaiting_approval'), 10_000, name);
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => JSON.stringify(r.blocks).includes('step_approve')), 10_000);
  return { run, ts: msg.ts };
}
const get = async (id: string) => (await bot.engine.getRun(id))!;

it('counts a double click once and needs min approvers; two at once count once each', async () => {
  const { run, ts } = await startAndWait('two');
  await Promise.all([1, 2, 3].map(() => sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts, action_id: 'step_approve' })));
  await waitUntil(async () => (await get(run.id)).steps[0]!.approval!.approvals.length === 1, 5000, 'one approval');
  expect((await get(run.id)).steps[0]!.status).toBe('awaiting_approval');
  await Promise.all([
    sys.slack.click({ user: 'U0COMMS', channel: 'C0CUTOVER', ts, action_id: 'step_approve' }),
    sys.slack.click({ user: 'U0COMMS', channel: 'C0CUTOVER', ts, action_id: 'step_approve' }),
  ]);
  const done = await waitUntil(async () => { const r = await get(run.id); return r.status === 'succeeded' ? r : null; }, 10_000, 'success');
  expect(done.steps[0]!.approval!.approvals.map((a) => a.user)).toEqual(['U0LEAD', 'U0COMMS']);
  expect(await waitUntil(async () => { const a = (await bot.store.audit(run.id)).filter((x) => x.kind === 'approve'); return a.length === 2 ? a : null; }, 5000, 'approvals audited')).toHaveLength(2);
  // The decided message shows who decided and has no buttons left.
  await waitUntil(() => bot.outbox.idle(), 5000, 'outbox');
  const msg = (await sys.slack.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))!.replies.find((r) => r.ts === ts)!;
  expect(JSON.stringify(msg.blocks)).not.toContain('step_approve');
  expect(JSON.stringify(msg.blocks)).toContain('U0COMMS');
  // A click on the old button is answered politely and changes nothing.
  await sys.slack.click({ user: 'U0SECOND', channel: 'C0CUTOVER', ts, action_id: 'step_reject' }).catch(() => undefined);
  expect((await get(run.id)).status).toBe('succeeded');
});

it('asks the approver to type confirm_text in a modal; a wrong text is refused', async () => {
  const { run, ts } = await startAndWait('typed');
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts, action_id: 'step_approve_typed' });
  const view = await sys.slack.waitFor(async (c) => (await c.openViews('U0LEAD'))[0], 5000);
  const wrong = await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { confirm_text: { confirm_text_input: 'restarters.com' } } });
  expect(wrong.outcome).toBe('errors');
  expect((await get(run.id)).steps[0]!.status).toBe('awaiting_approval');
  const right = await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { confirm_text: { confirm_text_input: 'restarters.net' } } });
  expect(right.outcome).toBe('closed');
  const done = await waitUntil(async () => { const r = await get(run.id); return r.status === 'succeeded' ? r : null; }, 10_000, 'success');
  expect(done.steps[0]!.approval!.approvals[0]).toMatchObject({ user: 'U0LEAD', note: 'restarters.net' });
});

it('does not let the person who started the run approve it (allow_self off), and reject fails the step', async () => {
  const { run, ts } = await startAndWait('self', 'U0LEAD');
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts, action_id: 'step_approve' });
  await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => /someone else must approve/.test(e.text)), 5000);
  expect((await get(run.id)).steps[0]!.status).toBe('awaiting_approval');
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts, action_id: 'step_reject' });
  await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).filter((e) => /someone else/.test(e.text)).length >= 2, 5000);
  await bot.engine.abort(run.id, 'U0LEAD');
});

it('fails the step when the approval expires, and Reject by an approver pauses the run', async () => {
  const { run } = await startAndWait('expiring');
  const failed = await waitUntil(async () => { const r = await get(run.id); return r.status === 'paused' ? r : null; }, 10_000, 'expiry');
  expect(failed.steps[0]!.error).toMatch(/expired/);
  await bot.engine.abort(run.id, 'U0LEAD');
  const second = await startAndWait('self', 'U0SECOND');
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: second.ts, action_id: 'step_reject' });
  const rejected = await waitUntil(async () => { const r = await get(second.run.id); return r.status === 'paused' ? r : null; }, 10_000, 'reject');
  expect(rejected.steps[0]).toMatchObject({ status: 'failed', error: 'Rejected by <@U0LEAD>' });
});
