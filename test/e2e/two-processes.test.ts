// Two tzero processes sharing one Redis: every step runs once, and a click can land on either.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
afterAll(() => sys?.stop());

it('runs each step once with two replicas, and takes clicks on either', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-')), 'effects');
  const steps = Array.from({ length: 12 }, (_, i) => `  - { id: s${i}, uses: shell, with: { run: 'echo s${i} >> "${file}"' } }`).join('\n');
  sys = await startSystem({
    runbooks: {
      'twin.yml': `
name: twin
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
${steps}
  - { id: gate, uses: approval, with: { prompt: "Both approve", approvers: [lead, second], min: 2, allow_self: true } }
  - { id: last, uses: shell, with: { run: 'echo last >> "${file}"' } }
`,
    },
  });
  const a = await sys.startBot();
  const b = await sys.startBot(); // the emulator now delivers to b; we switch below
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start twin' });
  const run = await waitUntil(async () => {
    const r = (await a.engine.recentRuns(1))[0];
    return r?.steps.find((s) => s.id === 'gate')?.status === 'awaiting_approval' ? r : null;
  }, 20_000, 'gate');
  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER'))[0]?.replies.find((r) => JSON.stringify(r.blocks).includes('"gate"') || JSON.stringify(r.blocks).includes('\\"gate\\"')), 10_000);
  await sys.slack.click({ user: 'U0SECOND', channel: 'C0CUTOVER', ts: msg.ts, action_id: 'step_approve' }); // handled by b
  sys.emu.setBotUrl(sys.botUrls[0]!); // the second click lands on a
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: msg.ts, action_id: 'step_approve' });
  const done = await waitUntil(async () => { const r = await b.engine.getRun(run.id); return r?.status === 'succeeded' ? r : null; }, 20_000, 'success');
  const written = readFileSync(file, 'utf8').trim().split('\n');
  expect(written).toEqual([...Array.from({ length: 12 }, (_, i) => `s${i}`), 'last']);
  expect(done.steps.find((s) => s.id === 'gate')!.approval!.approvals.map((x) => x.user).sort()).toEqual(['U0LEAD', 'U0SECOND']);
});
