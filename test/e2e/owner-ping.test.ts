// An owner is mentioned when their step needs a human: a new thread message (an edit of the
// step's message would not notify), once per attempt, naming the step.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;

const RUNBOOK = `
name: owned
channel: C0CUTOVER
roles: { lead: [U0LEAD], comms: [U0COMMS] }
steps:
  - { id: gate, name: Go for the flip, owner: lead, uses: approval, with: { prompt: "Go?", approvers: [lead] } }
  - { id: broken, name: Check the new site, owner: comms, uses: shell, with: { run: "exit 3" } }
`;

beforeAll(async () => {
  sys = await startSystem({ runbooks: { 'owned.yml': RUNBOOK } });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

const threadTexts = async () => (await sys.slack.messages('C0CUTOVER')).flatMap((m) => m.replies.map((r) => r.text));

it('mentions the owner when an approval waits and when a step fails, once each', async () => {
  await sys.slack.command({ user: 'U0COMMS', channel: 'C0CUTOVER', text: 'start owned' });
  const run = await waitUntil(async () => (await bot.engine.recentRuns(5)).find((r) => r.steps[0]!.status === 'awaiting_approval'), 15_000, 'gate waits');
  const ping = await sys.slack.waitFor(async () => (await threadTexts()).find((t) => t.includes('<@U0LEAD>') && t.includes('Go for the flip')), 10_000);
  expect(ping).toMatch(/waits for you/);

  const gate = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).flatMap((m) => m.replies).find((r) => JSON.stringify(r.blocks ?? []).includes('step_approve')), 10_000);
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: gate.ts, action_id: 'step_approve' });
  await waitUntil(async () => (await bot.engine.getRun(run.id))?.steps[1]?.status === 'failed', 15_000, 'broken fails');
  const failed = await sys.slack.waitFor(async () => (await threadTexts()).find((t) => t.includes('<@U0COMMS>') && t.includes('Check the new site')), 10_000);
  expect(failed).toMatch(/failed: Retry, Skip or Roll back/);
  // Each once: the approval ping is not repeated by later changes of the run.
  expect((await threadTexts()).filter((t) => t.includes('Go for the flip') && t.includes('waits for you'))).toHaveLength(1);
}, 60_000);
