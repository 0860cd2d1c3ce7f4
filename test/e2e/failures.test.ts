// A failed step pauses the run and offers Retry / Skip (with a reason) / Roll back, each
// authorized; on_failure continue and rollback; a held lock; abort.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { isDecision } from '../../src/engine/audit-events.js';

let sys: System;
let bot: Tzero;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-fail-'));
const flag = path.join(dir, 'ok');

const base = (name: string, lock: string, steps: string) => `
name: ${name}
channel: C0CUTOVER
lock: ${lock}
roles: { lead: [U0LEAD], second: [U0SECOND] }
can: { retry: [lead, second], skip: [lead], rollback: [lead] }
vars: { flag: "${flag}", log: "${dir}/log" }
steps:
  - id: prepare
    uses: shell
    with: { run: 'echo prepare >> "\${{ vars.log }}"' }
    undo: { uses: shell, with: { run: 'echo undo-prepare >> "\${{ vars.log }}"' } }
${steps}
`;
const flaky = (extra = '') => `  - id: smoke
    uses: shell
    with: { run: 'test -f "\${{ vars.flag }}"' }
${extra}
  - id: finish
    uses: shell
    with: { run: 'echo finish >> "\${{ vars.log }}"' }`;

beforeAll(async () => {
  sys = await startSystem({
    runbooks: {
      'pause.yml': base('pause', 'l-pause', flaky()),
      'skip.yml': base('skipper', 'l-skip', flaky()),
      'cont.yml': base('cont', 'l-cont', flaky('    on_failure: continue')),
      'auto-rb.yml': base('auto-rb', 'l-auto', flaky('    on_failure: rollback')),
      'slow.yml': base('slow', 'l-slow', "  - { id: nap, uses: shell, with: { run: 'sleep 30' } }"),
      'lost.yml': base('lost', 'l-lost', '').replace('channel: C0CUTOVER', 'channel: C0NOWHERE'),
    },
  });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

async function start(name: string, user = 'U0SECOND') {
  const before = new Set((await bot.engine.recentRuns(50)).map((r) => r.id));
  await sys.slack.command({ user, channel: 'C0CUTOVER', text: `start ${name}` });
  return waitUntil(async () => (await bot.engine.recentRuns(10)).find((r) => r.runbook.name === name && !before.has(r.id)), 5000, `run of ${name}`);
}
const status = (id: string, want: string) => waitUntil(async () => { const r = await bot.engine.getRun(id); return r?.status === want ? r : null; }, 15_000, `${id} ${want}`);
async function click(runId: string, stepId: string, action: string, user: string) {
  const msg = await sys.slack.waitFor(async (c) => {
    for (const m of await c.messages('C0CUTOVER')) {
      if (!m.text.includes(runId)) continue;
      const r = m.replies.find((x) => JSON.stringify(x.blocks ?? []).includes(action) && JSON.stringify(x.blocks ?? []).includes(stepId));
      if (r) return r;
    }
    return undefined;
  }, 10_000);
  return sys.slack.click({ user, channel: 'C0CUTOVER', ts: msg.ts, action_id: action });
}

it('pauses on failure, shows the error, and Retry goes on once the cause is fixed', async () => {
  const run = await start('pause');
  const paused = await status(run.id, 'paused');
  expect(paused.steps.find((s) => s.id === 'smoke')).toMatchObject({ status: 'failed', error: expect.stringMatching(/exit/) });
  await click(run.id, 'smoke', 'step_retry', 'U0OUTSIDER');
  await sys.slack.waitFor(async (c) => (await c.ephemerals('U0OUTSIDER')).find((e) => /can't retry/i.test(e.text)), 5000);
  writeFileSync(flag, '');
  await click(run.id, 'smoke', 'step_retry', 'U0SECOND');
  const done = await status(run.id, 'succeeded');
  expect(done.steps.find((s) => s.id === 'smoke')!.attempt).toBe(2);
  expect((await bot.store.audit(run.id)).filter(isDecision).map((a) => a.kind)).toEqual(['start', 'denied', 'retry']);
  // The retry kept the first attempt's failure, on the step and in the stream.
  expect(done.steps.find((s) => s.id === 'smoke')!.attempts).toEqual([expect.objectContaining({ attempt: 1, status: 'failed', error: expect.stringMatching(/exit/) })]);
  const trail = (await bot.store.audit(run.id)).filter((a) => a.step === 'smoke').map((a) => `${a.kind}#${a.attempt ?? ''}`);
  expect(trail).toEqual(expect.arrayContaining(['step_started#1', 'step_failed#1', 'step_retried#2', 'step_started#2', 'step_ended#2']));
  expect(trail.indexOf('step_failed#1')).toBeLessThan(trail.indexOf('step_started#2'));
});

it('Skip asks for a reason, records it, and goes on', async () => {
  rmFlag();
  const run = await start('skipper');
  await status(run.id, 'paused');
  await click(run.id, 'smoke', 'step_skip', 'U0LEAD');
  const view = await sys.slack.waitFor(async (c) => (await c.openViews('U0LEAD'))[0], 5000);
  const result = await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { skip_reason: { skip_reason_input: 'checked by hand on the console' } } });
  expect(result.outcome).toBe('closed');
  const done = await status(run.id, 'succeeded');
  expect(done.steps.find((s) => s.id === 'smoke')!.skipped).toMatchObject({ user: 'U0LEAD', reason: 'checked by hand on the console' });
  expect((await bot.store.audit(run.id)).filter(isDecision).at(-1)).toMatchObject({ kind: 'skip', note: 'checked by hand on the console' });
});

it('on_failure: continue goes on; on_failure: rollback undoes at once', async () => {
  const c = await start('cont');
  const cont = await status(c.id, 'succeeded');
  expect(cont.steps.map((s) => s.status)).toEqual(['done', 'failed', 'done']);
  const r = await start('auto-rb');
  const rolled = await status(r.id, 'rolled_back');
  expect(rolled.rollback).toMatchObject({ requestedBy: 'tzero', order: ['prepare'] });
  expect(rolled.steps[0]!.status).toBe('undone');
});

it('Roll back from a failed step runs the undo of completed steps', async () => {
  rmFlag();
  const run = await start('pause');
  await status(run.id, 'paused');
  await click(run.id, 'smoke', 'step_rollback', 'U0LEAD');
  const rolled = await status(run.id, 'rolled_back');
  expect(rolled.steps.map((s) => s.status)).toEqual(['undone', 'failed', 'pending']);
});

it('a second start on a held lock says who holds it since when; abort kills the step and frees the lock', async () => {
  const run = await start('slow');
  await waitUntil(async () => (await bot.engine.getRun(run.id))?.steps[1]!.status === 'running', 10_000, 'nap running');
  await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: 'start slow' });
  const held = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => /held by run/.test(e.text)), 5000);
  expect(held.text).toContain(run.id);
  expect(held.text).toContain('U0SECOND');
  const t0 = Date.now();
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: `abort ${run.id}` });
  const aborted = await status(run.id, 'aborted');
  expect(Date.now() - t0).toBeLessThan(10_000); // the 30 s sleep was killed, not waited for
  expect(aborted.steps[1]!.status).toBe('aborted');
  expect(aborted.steps[0]!.status).toBe('done'); // abort does not undo
  const again = await start('slow', 'U0LEAD');
  expect(again.id).not.toBe(run.id);
  await bot.engine.abort(again.id, 'U0LEAD');
});

function rmFlag() {
  rmSync(flag, { force: true });
}

it('refuses to start a run whose card cannot be posted, and takes no lock', async () => {
  await sys.slack.command({ user: 'U0LEAD', channel: 'C0CUTOVER', text: 'start lost' });
  const reply = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => /cannot start/.test(e.text)), 5000);
  expect(reply.text).toMatch(/does not know channel C0NOWHERE/);
  expect((await bot.engine.recentRuns(50)).some((r) => r.runbook.name === 'lost')).toBe(false);
});
