// A dry run rehearses the runbook: checks run for real, side-effecting steps only say what they
// would do, approvals are asked for real, and every message says DRY RUN.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSite, type Site } from '../../targets/site.js';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;
let site: Site;
const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-dry-')), 'touched');

beforeAll(async () => {
  site = await startSite({ name: 'old-site' });
  sys = await startSystem({
    runbooks: {
      'rehearse.yml': `
name: rehearse
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
vars: { site: "${site.url}" }
steps:
  - { id: in-thread, uses: notify, with: { text: "starting" } }
  - { id: elsewhere, uses: notify, with: { text: "to alerts", channel: C0ALERTS } }
  - { id: down, uses: http.request, with: { url: "\${{ vars.site }}/_control/maintenance", json: { on: true } } }
  - { id: touch, uses: shell, with: { run: 'touch "${marker}"' } }
  - { id: pause, uses: wait, with: { for: 1h } }
  - { id: check, uses: http.check, with: { url: "\${{ vars.site }}/robots.txt" } }
  - { id: only-live, uses: notify, if: "\${{ !run.dry_run }}", with: { text: "live only" } }
  - { id: gate, uses: approval, with: { prompt: "Rehearse the flip?", approvers: [lead] } }
`,
    },
  });
  bot = await sys.startBot();
});
afterAll(async () => {
  await sys?.stop();
  await site?.close();
});

it('runs checks, describes side effects, skips live-only steps, and asks approvals for real', async () => {
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start rehearse --dry-run' });
  const run = await waitUntil(async () => { const r = (await bot.engine.recentRuns(1))[0]; return r?.steps.at(-1)!.status === 'awaiting_approval' ? r : null; }, 10_000, 'gate');
  expect(run.dryRun).toBe(true);
  const by = Object.fromEntries(run.steps.map((s) => [s.id, s]));
  expect(by.down!.summary).toMatch(/^DRY RUN: would /);
  expect(by.touch!.summary).toMatch(/^DRY RUN: would /);
  expect(by.elsewhere!.summary).toMatch(/^DRY RUN: would /);
  expect(by.pause!.summary).toMatch(/^DRY RUN: would /);
  expect(by.check!.outputs.status).toBe(200); // the check really ran
  expect(by['only-live']!).toMatchObject({ status: 'skipped', rehearsal: 'not_rehearsed' });
  expect(existsSync(marker)).toBe(false);
  expect(site.maintenance()).toBe(false);
  expect(site.counts()['POST /_control/maintenance']).toBeUndefined();

  const msg = await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER'))[0]?.replies.find((r) => JSON.stringify(r.blocks).includes('step_approve')), 10_000);
  await sys.slack.click({ user: 'U0LEAD', channel: 'C0CUTOVER', ts: msg.ts, action_id: 'step_approve' });
  // A rehearsal never ends "succeeded": it says how each step took part (issue 6 §3).
  await waitUntil(async () => (await bot.engine.getRun(run.id))?.status === 'rehearsed', 10_000, 'rehearsed');
  // The card is edited after the run record ends: wait for the edit itself.
  await sys.slack.waitFor(async (c) => (await c.messages('C0CUTOVER'))[0]?.text.includes('rehearsed: '), 10_000);
  await waitUntil(() => bot.outbox.idle(), 5000, 'outbox');
  const state = await sys.slack.state();
  const cutover = state.channels.find((c) => c.id === 'C0CUTOVER')!;
  expect(state.channels.find((c) => c.id === 'C0ALERTS')!.messages).toHaveLength(0);
  const card = cutover.messages[0]!;
  expect(JSON.stringify(card.blocks)).toContain('DRY RUN');
  expect(card.text).toContain('rehearsed: 3 ran, 4 described, 1 not rehearsed, 0 skipped by hand');
  for (const reply of card.replies) if (JSON.stringify(reply.blocks ?? []).includes('Step ')) expect(JSON.stringify(reply.blocks)).toContain('DRY RUN');
  expect(card.replies.map((r) => r.text).join('\n')).toContain('starting'); // notify in the thread is rehearsed for real
});
