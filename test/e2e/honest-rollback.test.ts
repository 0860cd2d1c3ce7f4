// Issue 6 §1 through the Slack emulator: a failing undo pauses the rollback (Retry / Skip this
// undo / Mark undone by hand), manual undos wait for a human, `--to` rolls back part of a run,
// a point of no return asks for the runbook name, and no end state claims more than is true.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { isDecision } from '../../src/engine/audit-events.js';

let sys: System;
let bot: Tzero;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-honest-'));
const C = 'C0CUTOVER';

const head = (name: string) => `
name: ${name}
channel: ${C}
lock: l-${name}
roles: { lead: [U0LEAD], second: [U0SECOND] }
can: { rollback: [lead] }
vars: { flag: "${dir}/${name}.flag", log: "${dir}/${name}.log" }
steps:`;
const logged = (id: string) => `
  - id: ${id}
    uses: shell
    with: { run: 'echo ${id} >> "\${{ vars.log }}"' }
    undo: { uses: shell, with: { run: 'echo undo-${id} >> "\${{ vars.log }}"' } }`;
// deploy's undo fails until the flag file exists.
const failingUndo = (name: string) => `${head(name)}${logged('prepare')}
  - id: deploy
    uses: shell
    with: { run: 'echo deploy >> "\${{ vars.log }}"' }
    undo: { uses: shell, with: { run: 'test -f "\${{ vars.flag }}" && echo undo-deploy >> "\${{ vars.log }}"' } }
  - { id: announce, uses: shell, with: { run: 'true' } }`;

beforeAll(async () => {
  sys = await startSystem({
    runbooks: {
      'undo-skip.yml': failingUndo('undo-skip'),
      'undo-retry.yml': failingUndo('undo-retry'),
      'undo-byhand.yml': failingUndo('undo-byhand'),
      'manual-undo.yml': `${head('manual-undo')}
  - id: flip-dns
    uses: shell
    with: { run: 'true' }
    undo: { uses: approval, with: { prompt: 'Point DNS back at the old host in the registrar console', approvers: [second] } }`,
      'to-point.yml': `${head('to-point')}${logged('one')}${logged('two')}${logged('three')}`,
      'ponr.yml': `${head('ponr')}${logged('flip')}
  - id: open-signups
    name: Open sign-ups
    uses: approval
    point_of_no_return: true
    with: { prompt: 'Open sign-ups on the new site? Rolling back after this discards new sign-ups.', approvers: [second] }
  - { id: after, uses: shell, with: { run: 'true' } }`,
    },
  });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

async function start(name: string): Promise<Run> {
  await sys.slack.command({ user: 'U0LEAD', channel: C, text: `start ${name}` });
  return waitUntil(async () => (await bot.engine.recentRuns(20)).find((r) => r.runbook.name === name), 10_000, `run of ${name}`);
}
const status = (id: string, want: string) =>
  waitUntil(async () => { const r = await bot.engine.getRun(id); return r?.status === want ? r : null; }, 20_000, `${id} ${want}`);
const log = (name: string) => (existsSync(`${dir}/${name}.log`) ? readFileSync(`${dir}/${name}.log`, 'utf8').trim().split('\n') : []);

/** Types /rollback and returns the ephemeral reply that carries the confirm button. */
async function rollbackReply(text: string, user = 'U0LEAD') {
  const before = (await sys.slack.ephemerals(user)).length;
  await sys.slack.command({ user, channel: C, command: '/rollback', text });
  return sys.slack.waitFor(async (c) => (await c.ephemerals(user)).slice(before).find((e) => JSON.stringify(e.blocks ?? []).includes('rollback_confirm')), 10_000);
}
async function card(runId: string) {
  return sys.slack.waitFor(async (c) => (await c.messages(C)).find((m) => m.text.includes(runId)), 10_000);
}
/** The thread reply of a run that shows `action` (a button), once it does. */
async function replyWith(runId: string, action: string) {
  return sys.slack.waitFor(async (c) => (await c.messages(C)).find((m) => m.text.includes(runId))?.replies.find((r) => JSON.stringify(r.blocks ?? []).includes(`"${action}"`)), 15_000);
}
async function submitReason(user: string, action: string, runId: string, reason: string) {
  const msg = await replyWith(runId, action);
  const before = (await sys.slack.openViews(user)).length;
  await sys.slack.click({ user, channel: C, ts: msg.ts, action_id: action });
  const view = await sys.slack.waitFor(async (c) => (await c.openViews(user))[before], 10_000);
  return sys.slack.submitView({ user, view_id: view.id, values: { undo_reason: { undo_reason_input: reason } } });
}

it('a failing undo pauses the rollback; Skip leaves it applied, the run ends rollback_failed listing it, and a second /rollback undoes only that', async () => {
  const run = await start('undo-skip');
  await status(run.id, 'succeeded');
  const confirm = await rollbackReply(run.id);
  expect(confirm.text).toContain('2 steps will be undone: deploy, prepare. 1 step has nothing to undo.');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: confirm.ts, action_id: 'rollback_confirm' });
  const paused = await status(run.id, 'rollback_paused');
  expect(paused.steps.map((s) => s.status)).toEqual(['done', 'undo_failed', 'done']);

  // Authorized like /rollback, and the refusal is audited.
  const retryMsg = await replyWith(run.id, 'undo_retry');
  expect(JSON.stringify(retryMsg.blocks)).toContain('undo_skip');
  expect(JSON.stringify(retryMsg.blocks)).toContain('undo_by_hand');
  await sys.slack.click({ user: 'U0OUTSIDER', channel: C, ts: retryMsg.ts, action_id: 'undo_retry' });
  await sys.slack.waitFor(async (c) => (await c.ephemerals('U0OUTSIDER')).find((e) => /can't rollback/i.test(e.text)), 10_000);

  expect((await submitReason('U0LEAD', 'undo_skip', run.id, 'deploy is pinned, will revert in the next release')).outcome).toBe('closed');
  const failed = await status(run.id, 'rollback_failed');
  expect(failed.steps.map((s) => s.status)).toEqual(['undone', 'undo_skipped', 'done']);
  expect(log('undo-skip')).toEqual(['prepare', 'deploy', 'undo-prepare']);
  const audit = (await bot.store.audit(run.id)).filter(isDecision);
  expect(audit.map((a) => a.kind)).toEqual(['start', 'rollback', 'denied', 'undo_skip']);
  expect(audit.at(-1)).toMatchObject({ user: 'U0LEAD', step: 'deploy', note: 'deploy is pinned, will revert in the next release' });
  await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox');
  const shown = JSON.stringify((await card(run.id)).blocks);
  expect(shown).toContain('rollback failed');
  expect(shown).toContain('Still applied: deploy');
  expect(shown).not.toMatch(/Status\*\\n[^"]*rolled back/);

  // A second /rollback offers only what is still applied, and never claims more.
  const again = await rollbackReply(run.id);
  expect(again.text).toContain('1 step will be undone: deploy.');
  writeFileSync(`${dir}/undo-skip.flag`, '');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: again.ts, action_id: 'rollback_confirm' });
  const rolled = await status(run.id, 'rolled_back');
  expect(rolled.steps.map((s) => s.status)).toEqual(['undone', 'undone', 'done']);
  expect(log('undo-skip').at(-1)).toBe('undo-deploy');
});

it('Retry runs the failed undo again; Mark undone by hand records who and why', async () => {
  const a = await start('undo-retry');
  await status(a.id, 'succeeded');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: (await rollbackReply(a.id)).ts, action_id: 'rollback_confirm' });
  await status(a.id, 'rollback_paused');
  writeFileSync(`${dir}/undo-retry.flag`, '');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: (await replyWith(a.id, 'undo_retry')).ts, action_id: 'undo_retry' });
  const retried = await status(a.id, 'rolled_back');
  expect(retried.steps[1]!.undo).toMatchObject({ status: 'done', attempt: 2 });
  expect(log('undo-retry')).toEqual(['prepare', 'deploy', 'undo-deploy', 'undo-prepare']);

  const b = await start('undo-byhand');
  await status(b.id, 'succeeded');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: (await rollbackReply(b.id)).ts, action_id: 'rollback_confirm' });
  await status(b.id, 'rollback_paused');
  expect((await submitReason('U0LEAD', 'undo_by_hand', b.id, 'reverted the deploy from the console')).outcome).toBe('closed');
  const byHand = await status(b.id, 'rolled_back');
  expect(byHand.steps[1]).toMatchObject({ status: 'undone', undo: { decision: { kind: 'by_hand', user: 'U0LEAD', reason: 'reverted the deploy from the console' } } });
  expect((await bot.store.audit(b.id)).map((x) => x.kind)).toContain('undo_by_hand');
});

it('a manual undo (undo: { uses: approval }) waits for its approver, then the rollback ends rolled_back', async () => {
  const run = await start('manual-undo');
  await status(run.id, 'succeeded');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: (await rollbackReply(run.id)).ts, action_id: 'rollback_confirm' });
  const msg = await replyWith(run.id, 'undo_confirm');
  expect(JSON.stringify(msg.blocks)).toContain('Point DNS back at the old host in the registrar console');
  const waiting = (await bot.engine.getRun(run.id))!;
  expect(waiting.status).toBe('rolling_back');
  expect(waiting.steps[0]!.status).toBe('undo_waiting');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: msg.ts, action_id: 'undo_confirm' });
  await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => /Only second may confirm the undo of flip-dns/.test(e.text)), 10_000);
  await sys.slack.click({ user: 'U0SECOND', channel: C, ts: msg.ts, action_id: 'undo_confirm' });
  const done = await status(run.id, 'rolled_back');
  expect(done.steps[0]).toMatchObject({ status: 'undone', undo: { summary: 'Confirmed undone by <@U0SECOND>' } });
});

it('/rollback --to <step> undoes only the steps completed after it, and says the rest is still applied', async () => {
  const run = await start('to-point');
  await status(run.id, 'succeeded');
  const confirm = await rollbackReply(`${run.id} --to one`);
  expect(confirm.text).toContain('back to after *one*');
  expect(confirm.text).toContain('2 steps will be undone: three, two.');
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: confirm.ts, action_id: 'rollback_confirm' });
  const partial = await status(run.id, 'partially_rolled_back');
  expect(partial.steps.map((s) => s.status)).toEqual(['done', 'undone', 'undone']);
  expect(log('to-point')).toEqual(['one', 'two', 'three', 'undo-three', 'undo-two']);
  await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox');
  expect(JSON.stringify((await card(run.id)).blocks)).toContain('Still applied: one');
  const summary = await sys.slack.waitFor(async (c) => (await c.messages(C)).find((m) => m.text.includes(run.id))?.replies.find((r) => r.text.includes('Rollback of')), 10_000);
  expect(summary.text).toContain('partially rolled back; still applied: one');
});

it('past a point of no return, rollback says what it costs and needs the runbook name typed', async () => {
  const run = await start('ponr');
  await sys.slack.click({ user: 'U0SECOND', channel: C, ts: (await replyWith(run.id, 'step_approve')).ts, action_id: 'step_approve' });
  await status(run.id, 'succeeded');
  const reply = await rollbackReply(run.id);
  expect(JSON.stringify(reply.blocks)).toContain('Step Open sign-ups was a point of no return: Open sign-ups on the new site? Rolling back after this discards new sign-ups.');
  await expect(bot.engine.rollback(run.id, 'U0LEAD', 'no name typed')).rejects.toThrow(/type ponr exactly/);

  // The card's Roll back opens the modal (no dialog first: one confirmation).
  const c = await card(run.id);
  const rb = JSON.parse(JSON.stringify(c.blocks)).flatMap((b: { elements?: unknown[] }) => b.elements ?? []).find((e: { action_id?: string }) => e.action_id === 'run_rollback');
  expect(rb.confirm).toBeUndefined();
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: c.ts, action_id: 'run_rollback' });
  const view = await sys.slack.waitFor(async (x) => (await x.openViews('U0LEAD')).find((v) => JSON.stringify(v.view ?? v).includes('rollback_typed')), 10_000);
  expect(JSON.stringify(view)).toContain('Open sign-ups was a point of no return');
  const wrong = await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { rollback_name: { rollback_name_input: 'yes' } } });
  expect(wrong.outcome).toBe('errors');
  expect(wrong.errors?.rollback_name).toMatch(/type ponr exactly/);
  expect((await bot.engine.getRun(run.id))!.status).toBe('succeeded');
  const right = await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { rollback_name: { rollback_name_input: 'ponr' } } });
  expect(right.outcome).toBe('closed');
  await status(run.id, 'rolled_back');
  expect(log('ponr').at(-1)).toBe('undo-flip');
});

it('every message and modal of these rollbacks passed Block Kit validation', async () => {
  await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox');
  expect((await sys.slack.state()).validationFailures).toEqual([]);
});
