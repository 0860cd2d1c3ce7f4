// Issue #6 §2 and §9 through a whole tzero (emulator, real Redis): invalid runbooks are listed
// and refused with file:line:col, the monitors file in the runbooks folder is not a runbook,
// the card shows resolved step names, command output appears once, and a refused skip names
// the step.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;

beforeAll(async () => {
  sys = await startSystem({
    runbooks: {
      'typo.yml': `name: typo
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: quiet, uses: silence, with: { monitors: [sitee] } }
`,
      'deploy.yml': `name: deploy
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
can: { skip: [lead] }
vars: { version: v2.4.1 }
steps:
  - { id: quiet, uses: silence, with: { monitors: [site] } }
  - { id: build, name: "Deploy \${{ vars.version }}", uses: shell, with: { run: "echo UNIQUE-OUTPUT-LINE-42" } }
  - { id: smoke, name: Smoke test, uses: shell, with: { run: "exit 3" } }
`,
    },
    env: {},
  });
  // The monitors file sits in the runbooks folder, as the demo's does.
  const monitors = path.join(sys.dir, 'monitors.yml');
  writeFileSync(monitors, 'health:\n  - { id: site, url: "http://127.0.0.1:9/robots.txt", every: 1h, down_after: 3 }\n');
  sys.env.MONITORS_FILE = monitors;
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

const ephemeral = (user: string, re: RegExp) =>
  sys.slack.waitFor(async (c) => (await c.ephemerals(user)).find((e) => re.test(e.text) || re.test(JSON.stringify(e.blocks ?? []))), 10_000);

it('lists the runbook with an unknown monitor as invalid, and not the monitors file', async () => {
  const listing = await bot.engine.listRunbooks();
  expect(listing.map((l) => l.name)).toEqual(['deploy', 'typo']);
  expect(listing.find((l) => l.name === 'typo')!.error).toBe(
    `${path.join(sys.dir, 'typo.yml')}:5:52 steps[0].with.monitors[0]: unknown monitor "sitee"; did you mean "site"? (monitors in ${path.join(sys.dir, 'monitors.yml')}: site, tzero-steps, workers, redis)`,
  );
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'list' });
  const list = await ephemeral('U0SECOND', /runbooks, 1 invalid/);
  expect(JSON.stringify(list.blocks)).not.toContain('`monitors`');
});

it('refuses /cutover start of that runbook with file:line:col field.path: message, and starts nothing', async () => {
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start typo' });
  const reply = await ephemeral('U0SECOND', /typo\.yml:5:52 steps\[0\]\.with\.monitors\[0\]: unknown monitor/);
  expect(reply).toBeTruthy();
  expect((await bot.engine.recentRuns(10)).filter((r) => r.runbook.name === 'typo')).toEqual([]);
});

it('shows resolved step names on the card, command output once, and names the step in a refused skip', async () => {
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start deploy' });
  const run = await waitUntil(async () => (await bot.engine.recentRuns(10)).find((r) => r.runbook.name === 'deploy' && r.status === 'paused'), 15_000, 'paused run');
  await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox');
  const card = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER')).find((m) => m.text.includes(run.id) && JSON.stringify(m.blocks).includes('Smoke test') && m.replies.length >= 3), 10_000);
  const cardText = JSON.stringify(card.blocks);
  expect(cardText).toContain('2. *Deploy v2.4.1* done');
  expect(cardText).toContain('3. *Smoke test* failed');
  expect(cardText).not.toContain('${{');

  const build = card.replies.find((r) => r.text.includes(' build '))!;
  expect(JSON.stringify(build.blocks).split('UNIQUE-OUTPUT-LINE-42')).toHaveLength(2); // exactly once

  const smoke = card.replies.find((r) => JSON.stringify(r.blocks ?? []).includes('step_skip'))!;
  await sys.slack.click({ user: 'U0SECOND', channel: 'C0CUTOVER', ts: smoke.ts, action_id: 'step_skip' });
  const refused = await ephemeral('U0SECOND', /can't skip/);
  expect(refused.text).toContain("You can't skip step smoke of deploy: only lead may.");
});
