// Rehearsals that rehearse (issue 6 §3), through the Slack emulator, on a runbook shaped like seed
// 004 (OFN v2 deploy: maintenance via ansible, stop workers, deploy, re-warm, checks) with a
// seed 002 style count check (`SELECT count(*)`) that runs for real.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type Site } from '../../targets/site.js';
import type { Tzero } from '../../src/app.js';
import type { Run } from '../../src/engine/types.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

const DEPLOY_TOKEN = 'dpl-canary-5f1e9a2b7c';
let sys: System;
let bot: Tzero;
let site: Site;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tz-rehearse-'));
const marker = path.join(tmp, 'workers-stopped');
const config = path.join(tmp, 'instance.json');

beforeAll(async () => {
  writeFileSync(config, JSON.stringify({ instance: 'uk-prod', maintenance_page: true }));
  site = await startSite({ name: 'ofn-uk' });
  sys = await startSystem({
    env: { DEPLOY_TOKEN },
    runbooks: {
      'ofn-v2.yml': `
name: ofn-v2
title: OFN v2 on uk-prod
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
lock: ofn-uk-prod
vars: { ansible: ansible-playbook, instance: uk-prod, version: v2.0.0, config: "${config}", site: "${site.url}" }
secrets: [DEPLOY_TOKEN]
steps:
  - { id: announce, uses: notify, with: { text: "Maintenance window for \${{ vars.instance }} starts" } }
  - id: maintenance
    name: Enable maintenance mode
    uses: shell
    with: { run: "\${{ vars.ansible }} playbooks/maintenance_mode.yml --limit \${{ vars.instance }}" }
    undo: { uses: shell, with: { run: '\${{ vars.ansible }} playbooks/maintenance_mode.yml --limit \${{ vars.instance }} -e "disable_maintenance=true"' } }
  - id: stop-workers
    uses: shell
    with: { run: 'touch "${marker}" && systemctl stop unicorn_openfoodnetwork.service delayed_job_openfoodnetwork.service && echo stopped=unicorn,delayed_job >> "$TZERO_OUTPUT"' }
    dry_run_outputs: { stopped: "unicorn,delayed_job" }
  - id: deploy
    uses: shell
    with: { run: "\${{ vars.ansible }} playbooks/deploy.yml --limit \${{ vars.instance }} -e git_version=\${{ vars.version }} -e token=\${{ secrets.DEPLOY_TOKEN }}" }
    dry_run_outputs: { release: "\${{ vars.version }}" }
  - id: config-check
    uses: shell
    dry_run: run
    with: { run: 'jq -e ".maintenance_page == true" "\${{ vars.config }}" && echo "instance=$(jq -r .instance "\${{ vars.config }}")" >> "$TZERO_OUTPUT"' }
  - id: db-count
    uses: shell
    dry_run: run
    with: { run: 'echo "databases=$(psql -h 127.0.0.1 -U postgres -tAc "SELECT count(*) FROM pg_database")" >> "$TZERO_OUTPUT"' }
  - { id: announce-release, uses: notify, with: { text: "Deploying \${{ steps.deploy.outputs.release }} on \${{ steps.config-check.outputs.instance }}; workers stopped: \${{ steps.stop-workers.outputs.stopped }}" } }
  - { id: warm-cache, uses: shell, with: { run: "bundle exec rake ofn:cache:warm_products" } }
  - id: site-down
    uses: http.check
    needs_effect_of: maintenance
    with: { url: "\${{ vars.site }}/robots.txt", expect: { status: 503 } }
  - { id: cache-report, uses: notify, with: { text: "warmed \${{ steps.warm-cache.outputs.products }} products" } }
  - { id: live-smoke, uses: notify, if: "!run.dry_run", with: { text: "smoke-test the shopfronts now" } }
  - { id: maintenance-off, uses: shell, with: { run: '\${{ vars.ansible }} playbooks/maintenance_mode.yml --limit \${{ vars.instance }} -e "disable_maintenance=true"' } }
`,
      'locked.yml': `
name: locked
channel: C0ALERTS
roles: { lead: [U0LEAD] }
lock: ofn-uk-prod
steps:
  - { id: gate, uses: approval, with: { prompt: "Go?", approvers: [lead], allow_self: true } }
`,
    },
  });
  bot = await sys.startBot();
});
afterAll(async () => {
  await sys?.stop();
  await site?.close();
});

describe('a rehearsal of a seed-004 shaped runbook', () => {
  let run: Run;
  beforeAll(async () => {
    await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start ofn-v2 --dry-run' });
    run = await waitUntil(async () => {
      const r = (await bot.engine.recentRuns(5)).find((x) => x.runbook.name === 'ofn-v2');
      return r && !['running'].includes(r.status) ? r : null;
    }, 20_000, 'rehearsal end');
    // The card edit and the thread summary follow the run record's end: wait for them.
    await sys.slack.waitFor(async (c) => {
      const card = (await c.messages('C0CUTOVER'))[0];
      return card?.text.includes('rehearsed: ') && card.replies.some((r) => r.text.includes('Dry run ended'));
    }, 15_000);
    await waitUntil(() => bot.outbox.idle(), 10_000, 'outbox');
  });
  const step = (id: string) => run.steps.find((s) => s.id === id)!;

  it('ends "rehearsed" with counts, on the card and in the thread, never "succeeded"', async () => {
    expect(run.status).toBe('rehearsed');
    const summary = 'rehearsed: 4 ran, 5 described, 3 not rehearsed, 0 skipped by hand';
    const card = (await sys.slack.messages('C0CUTOVER'))[0]!;
    expect(JSON.stringify(card.blocks)).toContain(summary);
    expect(card.text).toContain(summary);
    expect(JSON.stringify(card.blocks)).not.toContain('succeeded');
    expect(card.replies.map((r) => r.text).join('\n')).toContain(`Dry run ended · ${summary}`);
  });

  it('previews described steps with the resolved command, secrets masked', () => {
    expect(step('maintenance').summary).toContain('DRY RUN: would run `ansible-playbook playbooks/maintenance_mode.yml --limit uk-prod`');
    expect(step('deploy').summary).toContain('would run `ansible-playbook playbooks/deploy.yml --limit uk-prod -e git_version=v2.0.0 -e token=•••`');
    for (const s of run.steps) expect(s.summary ?? '').not.toContain('${{');
    expect(step('stop-workers').rehearsal).toBe('described');
    expect(existsSync(marker)).toBe(false);
  });

  it('runs read-only checks for real when the runbook says dry_run: run', () => {
    expect(step('config-check')).toMatchObject({ status: 'done', rehearsal: 'ran', outputs: { instance: 'uk-prod', exit_code: 0 } });
    expect(String(step('db-count').outputs.databases)).toMatch(/^[1-9]\d*$/);
  });

  it('feeds dry_run_outputs to later steps and expressions', async () => {
    expect(step('deploy').outputs).toEqual({ release: 'v2.0.0' });
    const thread = (await sys.slack.messages('C0CUTOVER'))[0]!.replies.map((r) => r.text).join('\n');
    expect(thread).toContain('Deploying v2.0.0 on uk-prod; workers stopped: unicorn,delayed_job');
  });

  it('shows checks that need an effect it did not create as "not rehearsed", not failed', async () => {
    expect(step('site-down')).toMatchObject({ status: 'skipped', rehearsal: 'not_rehearsed', note: 'not rehearsed: depends on maintenance' });
    expect(site.counts()['GET /robots.txt']).toBeUndefined();
    expect(step('cache-report').note).toMatch(/^not rehearsed: depends on warm-cache \(no output "products"/);
    expect(step('live-smoke')).toMatchObject({ rehearsal: 'not_rehearsed', note: 'not rehearsed: runs only in a live run (if: !run.dry_run)' });
    expect(run.steps.filter((s) => s.status === 'failed')).toEqual([]);
    const card = (await sys.slack.messages('C0CUTOVER'))[0]!;
    expect(JSON.stringify(card.blocks)).toContain('*site-down* not rehearsed');
    expect(JSON.stringify(card.blocks)).toContain('*Enable maintenance mode* described');
  });

  it('never shows the secret in Slack', async () => {
    expect(JSON.stringify(await sys.slack.state())).not.toContain(DEPLOY_TOKEN);
  });
});

describe('locks', () => {
  it('a dry run neither holds nor waits for the live lock; rehearsals run side by side', async () => {
    const runs = async () => (await bot.engine.recentRuns(20)).filter((r) => r.runbook.name === 'locked' && r.steps[0]!.status === 'awaiting_approval');
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0ALERTS', text: 'start locked --dry-run' });
    await waitUntil(async () => (await runs()).length === 1, 10_000, 'first rehearsal');
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0ALERTS', text: 'start locked' });
    await waitUntil(async () => (await runs()).length === 2, 10_000, 'live run beside a rehearsal');
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0ALERTS', text: 'start locked --dry-run' });
    const all = await waitUntil(async () => { const r = await runs(); return r.length === 3 ? r : null; }, 10_000, 'second rehearsal beside the live run');
    expect(all.map((r) => r.dryRun).sort()).toEqual([false, true, true]);
    const live = all.find((r) => !r.dryRun)!;
    // `/rollback` and `/cutover status` without a run id still mean the live run.
    expect((await bot.engine.activeRun('C0ALERTS'))?.id).toBe(live.id);
    // The live lock is still exclusive among live runs.
    await sys.slack.command({ user: 'U0LEAD', channel: 'C0ALERTS', text: 'start locked' });
    await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => e.text.includes(`Lock ofn-uk-prod is held by run ${live.id}`)), 10_000);
  });
});
