// Socket Mode end to end: tzero with SLACK_APP_TOKEN and no signing secret dials the emulator
// (apps.connections.open, then the WebSocket), and a cutover runs from a command and a click
// delivered as envelopes. No bot URL is ever set, so nothing can arrive over signed HTTP.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { isDecision } from '../../src/engine/audit-events.js';

let sys: System;
let bot: Tzero;

const RUNBOOK = `
name: socket
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: hello, uses: notify, with: { text: "starting over Socket Mode" } }
  - id: gate
    uses: approval
    with: { prompt: "Go?", approvers: [lead] }
  - { id: after, uses: notify, with: { text: "gate passed" } }
`;

beforeAll(async () => {
  sys = await startSystem({ runbooks: { 'socket.yml': RUNBOOK }, socketMode: true });
  expect(sys.env.SLACK_APP_TOKEN).toMatch(/^xapp-/);
  expect(sys.env.SLACK_SIGNING_SECRET).toBeUndefined();
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

it('connects over Socket Mode and still serves /healthz on its HTTP port', async () => {
  const calls = (await sys.slack.apiCalls()).filter((c) => c.method === 'apps.connections.open');
  expect(calls.some((c) => c.ok)).toBe(true);
  const health = sys.botUrls.at(-1)!.replace('/slack/events', '/healthz');
  await waitUntil(async () => (await fetch(health).catch(() => undefined))?.ok, 5000, '/healthz');
});

it('runs /cutover start and an approval click delivered as envelopes', async () => {
  const ack = await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start socket' });
  expect(ack.status).toBe(200);
  expect(ack.failure).toBeUndefined();
  const run = await waitUntil(async () => (await bot.engine.recentRuns(10)).find((r) => r.runbook.name === 'socket' && r.steps[1]!.status === 'awaiting_approval'), 10_000, 'awaiting approval');
  expect(run.steps[0]!.status).toBe('done');
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id))?.replies.find((r) => JSON.stringify(r.blocks).includes('step_approve')), 10_000);

  const click = await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: msg.ts, action_id: 'step_approve' });
  expect(click.status).toBe(200);
  const done = await waitUntil(async () => { const r = await bot.engine.getRun(run.id); return r?.status === 'succeeded' ? r : null; }, 15_000, 'success');
  expect(done.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
  expect(done.steps[1]!.approval!.approvals.map((a) => a.user)).toEqual(['U0LEAD']);
  const audit = await waitUntil(async () => { const a = await bot.store.audit(run.id); return a.some((x) => x.kind === 'approve') ? a : null; }, 5000, 'approval audited');
  expect(audit.filter(isDecision).map((a) => a.kind)).toEqual(['start', 'approve']);

  const { deliveries, botUrl } = await sys.slack.state();
  expect(botUrl).toBeNull();
  expect(deliveries.map((d) => [d.kind, d.status])).toEqual(expect.arrayContaining([['command', 200], ['block_actions', 200]]));
});
