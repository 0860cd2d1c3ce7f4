// The whole product through Slack: /cutover start, the live card, approving the DNS flip,
// completion, /rollback with confirmation — against the emulator and real local targets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_API_TOKEN, GITHUB_TOKEN, startWorld, type World } from '../../demo/world.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import type { Tzero } from '../../src/app.js';
import { isDecision } from '../../src/engine/audit-events.js';

let world: World;
let sys: System;
let bot: Tzero;

beforeAll(async () => {
  world = await startWorld({ ciDelayMs: 100 });
  // The runbook silences and watches the sites' health monitors: they must exist (as in the demo).
  sys = await startSystem({ runbooks: { 'restarters-go-live.yml': world.runbook }, env: { DNS_API_TOKEN, GITHUB_TOKEN, GITHUB_API_URL: world.github.url, MONITORS_FILE: world.writeMonitors() } });
  bot = await sys.startBot();
});
afterAll(async () => {
  await sys?.stop();
  await world?.close();
});

const runIdFrom = (text: string) => /run `?([a-z0-9]{6})`?/i.exec(text)?.[1];

describe('a live cutover from Slack', () => {
  let runId: string;

  it('starts from /cutover start and posts the card in the runbook channel', async () => {
    const ack = await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start restarters-go-live' });
    expect(ack.status).toBe(200);
    const eph = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0SECOND')).find((e) => runIdFrom(e.text)), 5000);
    runId = runIdFrom(eph.text)!;
    const card = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(runId)), 5000);
    expect(JSON.stringify(card.blocks)).toContain('LIVE');
  });

  it('runs up to the approval and waits for the lead', async () => {
    const approval = await waitUntil(async () => {
      const run = await bot.engine.getRun(runId);
      return run?.steps.find((s) => s.id === 'approve-dns')?.status === 'awaiting_approval' ? run : null;
    }, 20_000, 'approval');
    expect(approval.steps.find((s) => s.id === 'final-sync')!.outputs.rows).toBe('48213');
    expect(world.oldSite.maintenance()).toBe(true);
    expect(world.provider.changes()).toHaveLength(0);
  });

  it('refuses an approval by someone not allowed, with a reason, and changes nothing', async () => {
    const msg = await findStepMessage('approve-dns');
    await sys.slack.click({ user: 'U0OUTSIDER', channel: 'C0CUTOVER', ts: msg.ts, action_id: 'step_approve' });
    await sys.slack.waitFor(async (c) => (await c.ephemerals('U0OUTSIDER')).find((e) => /only/i.test(e.text)), 5000);
    expect((await bot.engine.getRun(runId))!.steps.find((s) => s.id === 'approve-dns')!.status).toBe('awaiting_approval');
  });

  it('goes on when the lead approves, flips DNS, passes the smoke tests and opens the rollback window', async () => {
    const msg = await findStepMessage('approve-dns');
    await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: msg.ts, action_id: 'step_approve' });
    const run = await waitUntil(async () => {
      const r = await bot.engine.getRun(runId);
      return r?.status === 'watching' ? r : null;
    }, 30_000, 'every step done, watch window open');
    expect(run.steps.map((s) => s.status)).toEqual(run.steps.map(() => 'done'));
    expect(world.dns.getRecords('restarters.net', 'A')?.values).toEqual(['66.241.124.187']);
    expect(world.provider.changes()).toHaveLength(1);
    const audit = (await bot.store.audit(runId)).filter(isDecision);
    expect(audit.map((a) => a.kind)).toEqual(['start', 'denied', 'approve']);
    expect(audit.every((a) => a.hash === run.hash)).toBe(true);
  });

  it('rolls back on /rollback after a confirmation, in reverse order', async () => {
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', command: '/rollback', text: '' });
    const prompt = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => JSON.stringify(e.blocks ?? []).includes('rollback_confirm')), 5000);
    await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: prompt.ts, action_id: 'rollback_confirm' });
    const run = await waitUntil(async () => {
      const r = await bot.engine.getRun(runId);
      return r?.status === 'rolled_back' ? r : null;
    }, 30_000, 'rollback');
    expect(run.rollback!.order.slice(0, 2)).toEqual(['all-clear', 'smoke-api']);
    const undone = run.steps.filter((s) => s.status === 'undone').sort((a, b) => a.undo!.endedAt! - b.undo!.endedAt!);
    expect(undone.map((s) => s.id)).toEqual(['deploy-merge', 'flip-dns', 'maintenance']);
    expect(world.github.repo('therestartproject/restarters').git.branches.get('production')).toBe(world.productionBefore);
    expect(world.dns.getRecords('restarters.net', 'A')?.values).toEqual(['139.59.184.196']);
    expect(world.oldSite.maintenance()).toBe(false);
  });

  it('kept every message valid Block Kit and never showed a secret', async () => {
    await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox to drain');
    const state = await sys.slack.state();
    expect(state.validationFailures).toEqual([]);
    const everything = JSON.stringify(state);
    expect(everything).not.toContain(DNS_API_TOKEN);
    expect(everything).not.toContain(GITHUB_TOKEN);
    const card = state.channels.find((c) => c.id === 'C0CUTOVER')!.messages.find((m) => m.text.includes(runId))!;
    // One card edited in place, one thread reply per step plus the notify and the rollback summary.
    expect(state.channels.find((c) => c.id === 'C0CUTOVER')!.messages.filter((m) => m.text.includes(runId))).toHaveLength(1);
    expect(card.replies.length).toBeGreaterThanOrEqual(10);
  });

  async function findStepMessage(stepId: string) {
    return sys.slack.waitFor(async (c) => {
      for (const m of await c.messages('C0CUTOVER')) {
        const r = m.replies.find((x) => JSON.stringify(x.blocks ?? []).includes(`"stepId":"${stepId}"`) || JSON.stringify(x.blocks ?? []).includes(`\\"stepId\\":\\"${stepId}\\"`));
        if (r) return r;
      }
      return undefined;
    }, 10_000);
  }
});
