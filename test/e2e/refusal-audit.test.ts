// Every refusal is on the run's audit trail, not only missing permissions: a click on a step that
// is not current (a second Approve on a step another approver has just decided).
import { afterEach, describe, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

const RUNBOOK = `
name: gated
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND], comms: [U0COMMS] }
steps:
  - { id: gate, uses: approval, with: { prompt: "Go?", approvers: [lead, second] } }
  - { id: hold, uses: approval, with: { prompt: "Hold", approvers: [lead] } }
`;

async function stepMessage(s: System, stepId: string, actionId: string) {
  return s.slack.waitFor(async (c) => {
    for (const m of await c.messages('C0CUTOVER')) {
      const r = m.replies.find((x) => JSON.stringify(x.blocks ?? []).includes(actionId) && JSON.stringify(x.blocks ?? []).includes(stepId));
      if (r) return r;
    }
    return undefined;
  }, 15_000);
}

describe('refusals are audited', () => {
  it('records a click on a step that is no longer current, with who, which step and why', async () => {
    sys = await startSystem({ runbooks: { 'gated.yml': RUNBOOK } });
    const bot: Tzero = await sys.startBot();
    await sys.slack.command({ user: 'U0COMMS', channel: 'C0CUTOVER', text: 'start gated' });
    const runId = await waitUntil(async () => { const r = (await bot.store.recent(1))[0]; return r?.steps[0]?.status === 'awaiting_approval' ? r.id : null; }, 15_000, 'gate waiting');
    const gate = await stepMessage(sys, 'gate', 'step_approve');
    // Two approvers click at once (min 1): the one handled second clicks a step that is no
    // longer current — refused, and on the record.
    await Promise.all(['U0LEAD', 'U0SECOND'].map((user) => sys!.slack.click({ user, channel: 'C0CUTOVER', ts: gate.ts, action_id: 'step_approve' })));
    await waitUntil(async () => (await bot.store.get(runId))?.steps[1]?.status === 'awaiting_approval', 15_000, 'next step');
    const refused = await waitUntil(async () => (await bot.store.audit(runId)).find((a) => a.kind === 'refused'), 10_000, 'refusal audited');
    const approved = (await bot.store.audit(runId)).find((a) => a.kind === 'approve')!;
    expect(refused).toMatchObject({ kind: 'refused', step: 'gate' });
    expect([approved.user, refused.user].sort()).toEqual(['U0LEAD', 'U0SECOND']);
    expect(refused.note).toMatch(/out of date/);
    await sys.slack.waitFor(async (c) => (await c.ephemerals(refused.user)).find((e) => /out of date/i.test(e.text)), 10_000);
  }, 60_000);

  it('records a refused start on the runbook\'s own trail, with who and why (there is no run to audit it in)', async () => {
    sys = await startSystem({ runbooks: { 'gated.yml': RUNBOOK.replace('steps:', 'can: { start: [lead, second] }\nsteps:') } });
    const bot: Tzero = await sys.startBot();
    await sys.slack.command({ user: 'U0COMMS', channel: 'C0CUTOVER', text: 'start gated' });
    const refused = await waitUntil(async () => (await bot.store.runbookAudit('gated')).find((a) => a.kind === 'denied'), 10_000, 'refused start audited');
    expect(refused).toMatchObject({ kind: 'denied', user: 'U0COMMS' });
    expect(refused.note).toMatch(/^start: /);
    expect(refused.hash).toMatch(/^[0-9a-f]+$/);
    expect(await bot.store.recent(5)).toEqual([]);
  }, 60_000);
});
