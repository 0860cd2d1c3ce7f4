// kill -9 at the worst moments, then restart: the run completes and no side effect happens
// twice. Side effects are counted on the target (lines appended to a file).
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import type { Run } from '../../src/engine/types.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  await sys?.stop();
  redis?.disconnect();
});

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0);

function runbook(file: string, extra = '') {
  return `
name: crashy
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
vars: { file: "${file}" }
steps:
  - id: side-effect
    uses: shell
    with: { run: 'echo once >> "\${{ vars.file }}"; sleep 4' }
${extra}
  - id: approve
    uses: approval
    with: { prompt: "Go on?", approvers: [lead] }
  - id: after
    uses: shell
    with: { run: 'echo after >> "\${{ vars.file }}.after"' }
`;
}

async function setup(text: string) {
  sys = await startSystem({ runbooks: { 'crashy.yml': text } });
  redis = new Redis(process.env.REDIS_URL!);
  const store = new RunStore(redis, keys(sys.prefix));
  const getRun = async (): Promise<Run | null> => {
    const id = (await redis!.get(keys(sys!.prefix).channelRun('C0CUTOVER')))!;
    return id ? store.get(id) : null;
  };
  const step = async (id: string) => (await getRun())?.steps.find((s) => s.id === id);
  return { store, getRun, step };
}

async function clickOnStep(s: System, stepId: string, actionId: string, user = 'U0LEAD') {
  const msg = await s.slack.waitFor(async (c) => {
    for (const m of await c.messages('C0CUTOVER')) {
      const r = m.replies.find((x) => JSON.stringify(x.blocks ?? []).includes(actionId) && JSON.stringify(x.blocks ?? []).includes(stepId));
      if (r) return r;
    }
    return undefined;
  }, 15_000);
  return s.slack.click({ user, channel: 'C0CUTOVER', ts: msg.ts, action_id: actionId });
}

describe('kill -9 and restart', () => {
  it('puts a side-effecting step that was cut off in doubt, asks a human, and never runs it twice', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-')), 'effects');
    const { getRun, step } = await setup(runbook(file));
    const first = await sys!.spawnBot();
    await sys!.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start crashy' });
    await waitUntil(async () => lines(file) === 1 && (await step('side-effect'))?.status === 'running', 10_000, 'step running');
    first.kill('SIGKILL');
    await sys!.spawnBot();
    await waitUntil(async () => (await step('side-effect'))?.status === 'in_doubt', 20_000, 'in doubt');
    expect((await getRun())!.status).toBe('paused');
    await clickOnStep(sys!, 'side-effect', 'step_mark_done');
    await waitUntil(async () => (await step('approve'))?.status === 'awaiting_approval', 10_000, 'approval');
    await clickOnStep(sys!, 'approve', 'step_approve');
    await waitUntil(async () => (await getRun())?.status === 'succeeded', 10_000, 'success');
    expect(lines(file)).toBe(1);
    expect(lines(`${file}.after`)).toBe(1);
  }, 60_000);

  it('runs `verify` for a step cut off mid-way and marks it done when it passes', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-')), 'effects');
    const text = runbook(file).replace("sleep 4' }", `sleep 4' }\n    verify: { uses: shell, with: { run: 'test -s "\${{ vars.file }}"' } }`);
    const { step } = await setup(text);
    const first = await sys!.spawnBot();
    await sys!.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start crashy' });
    await waitUntil(async () => lines(file) === 1 && (await step('side-effect'))?.status === 'running', 10_000, 'step running');
    first.kill('SIGKILL');
    await sys!.spawnBot();
    const s = await waitUntil(async () => { const x = await step('side-effect'); return x?.status === 'done' ? x : null; }, 20_000, 'verified');
    expect(s.summary).toMatch(/verify .* passed/);
    expect(lines(file)).toBe(1);
  }, 60_000);

  it('keeps a pending approval clickable across a kill -9, and edits the same card', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-')), 'effects');
    const { getRun, step } = await setup(runbook(file).replace('; sleep 4', ''));
    const first = await sys!.spawnBot();
    await sys!.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start crashy' });
    await waitUntil(async () => (await step('approve'))?.status === 'awaiting_approval', 10_000, 'approval');
    await waitUntil(async () => JSON.stringify(await sys!.slack.messages('C0CUTOVER')).includes('step_approve'), 10_000, 'approve button');
    first.kill('SIGKILL');
    await sys!.spawnBot();
    // The button posted by the dead process is clicked and handled by the new one.
    await clickOnStep(sys!, 'approve', 'step_approve');
    await waitUntil(async () => (await getRun())?.status === 'succeeded', 20_000, 'success');
    expect(lines(file)).toBe(1);
    expect(lines(`${file}.after`)).toBe(1);
    const run = (await getRun())!;
    const cards = (await sys!.slack.messages('C0CUTOVER')).filter((m) => m.text.includes(run.id));
    expect(cards).toHaveLength(1);
  }, 60_000);

  it('keeps a wait step deadline across a kill -9 (a delayed job, not a timer)', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-')), 'effects');
    const text = runbook(file).replace('; sleep 4', '').replace('  - id: approve', '  - { id: pause, uses: wait, with: { for: 10s } }\n  - id: approve');
    const { step } = await setup(text);
    const first = await sys!.spawnBot();
    await sys!.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start crashy' });
    const waiting = await waitUntil(async () => { const s = await step('pause'); return s?.status === 'waiting' ? s : null; }, 10_000, 'waiting');
    await new Promise((r) => setTimeout(r, 500)); // let the job become a delayed job
    first.kill('SIGKILL');
    await sys!.spawnBot();
    const upAt = Date.now();
    const done = await waitUntil(async () => { const s = await step('pause'); return s?.status === 'done' ? s : null; }, 30_000, 'wait done');
    expect(done.endedAt!).toBeGreaterThanOrEqual(waiting.waitUntil!);
    // On time (or as soon as a process is up again): not restarted from zero, which would end ≥ upAt + 10 s.
    expect(done.endedAt!).toBeLessThan(Math.max(waiting.waitUntil!, upAt) + 3000);
  }, 60_000);
});
