// The seed runbooks shipped in examples/runbooks (Phase 12, seed 003; OFN v2, seed 004) run for
// real, as a rehearsal and live, against local stand-ins: `ssh` and `ansible-playbook` first on
// PATH (they log their arguments), a TLS server with a certificate from a test CA, a local app.
// Each run ends with its report posted in the thread; the test reads the report's JSON.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Tzero } from '../../src/app.js';
import { main } from '../../src/cli.js';
import type { Run } from '../../src/engine/types.js';
import { Report } from '../../src/report/schema.js';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { daysFromNow, makeCa, startTlsServer, type TestCa, type TlsServer } from '../support/tls-certs.js';

const C = 'C0CUTOVER';
const EXAMPLES = path.resolve('examples/runbooks');
const bin = mkdtempSync(path.join(os.tmpdir(), 'tz-seed-bin-'));
const log = path.join(bin, 'calls.log');
let sys: System;
let bot: Tzero;
let ca: TestCa;
let tlsServer: TlsServer;
let app: Server;
const savedPath = process.env.PATH;

/** The example file with its hosts pointed at the stand-ins (the steps themselves unchanged). */
function localise(file: string, edit: (doc: { vars: Record<string, unknown>; steps: { id: string; with: Record<string, unknown> }[] }) => void): string {
  const doc = YAML.parse(readFileSync(path.join(EXAMPLES, file), 'utf8'));
  edit(doc);
  return YAML.stringify(doc);
}

beforeAll(async () => {
  for (const tool of ['ssh', 'ansible-playbook']) {
    writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\n`);
    chmodSync(path.join(bin, tool), 0o755);
  }
  process.env.PATH = `${bin}:${savedPath}`; // the shell steps of the in-process bot find the stand-ins first
  ca = makeCa();
  tlsServer = await startTlsServer(ca.issue({ cn: 'app.example.com', names: ['app.example.com'], from: daysFromNow(-1), to: daysFromNow(60) }));
  app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const phase12 = localise('phase-12-deploy.yml', (d) => {
    d.vars.app_url = appUrl;
    Object.assign(d.steps.find((s) => s.id === 'tls')!.with, { host: '127.0.0.1', servername: 'app.example.com', port: tlsServer.port, ca_file: ca.caFile });
  });
  const ofn = localise('ofn-v2-deploy.yml', (d) => void (d.vars.site = appUrl));
  sys = await startSystem({ runbooks: { 'phase-12-deploy.yml': phase12, 'ofn-v2-deploy.yml': ofn }, fastOutbox: true });
  bot = await sys.startBot();
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await sys?.stop();
  await tlsServer?.close();
  app?.close();
  ca?.close();
});

const get = async (id: string) => (await bot.engine.getRun(id))!;
const until = (id: string, ok: (r: Run) => boolean, what: string) => waitUntil(async () => { const r = await get(id); return ok(r) ? r : null; }, 20_000, what);
const calls = () => { try { return readFileSync(log, 'utf8').trim().split('\n'); } catch { return []; } };

async function start(name: string, dry: boolean): Promise<Run> {
  const before = new Set((await bot.engine.recentRuns(50)).map((r) => r.id));
  await sys.slack.command({ user: 'U0LEAD', channel: C, text: `start ${name}${dry ? ' --dry-run' : ''}` });
  return waitUntil(async () => (await bot.engine.recentRuns(10)).find((r) => r.runbook.name === name && !before.has(r.id)), 10_000, `run of ${name}`);
}

/** The lead ticks every item of the checklist whose first item is `first` (the lead may tick any). */
async function tickAll(runId: string, items: string[]) {
  const msg = await sys.slack.waitFor(async (c) => (await c.messages(C)).find((m) => m.text.includes(runId))?.replies.find((r) => JSON.stringify(r.blocks ?? []).includes(`checklist_${items[0]}`)), 15_000);
  for (const item of items) await sys.slack.click({ user: 'U0LEAD', channel: C, ts: msg.ts, action_id: 'checklist_done', block_id: `checklist_${item}` });
}

/** The newest report posted in the run thread, parsed with the report's schema. */
async function report(runId: string, status: string): Promise<{ json: Report; md: string }> {
  return sys.slack.waitFor(async (c) => {
    const thread = (await c.messages(C)).find((m) => m.text.includes(runId))?.replies ?? [];
    for (const r of [...thread].reverse()) {
      const files = (r as { files?: { name: string; url_private: string }[] }).files ?? [];
      const json = files.find((f) => f.name.endsWith('.json'));
      if (!json) continue;
      const parsed = Report.parse(await (await fetch(json.url_private)).json());
      if (parsed.run.status !== status) return undefined;
      return { json: parsed, md: await (await fetch(files.find((f) => f.name.endsWith('.md'))!.url_private)).text() };
    }
    return undefined;
  }, 20_000);
}

it('lints both seed runbooks', async () => {
  const out: string[] = [];
  const code = await main(['lint', path.join(EXAMPLES, 'phase-12-deploy.yml')], { out: (l) => out.push(l), err: (l) => out.push(l), env: {} });
  expect({ code, out }).toMatchObject({ code: 0 });
  expect(await main(['lint', path.join(EXAMPLES, 'ofn-v2-deploy.yml')], { out: () => undefined, err: (l) => out.push(l), env: {} })).toBe(0);
});

const PREFLIGHT = ['staging-verified', 'superadmin', 'server-setup', 'prod-db', 'env-template', 'tls-ready', 'rollback-plan'];
const BY_HAND = ['login', 'mail'];

it('Phase 12: refused live before a rehearsal; rehearsed; then live up to the 48 h watch, and rolled back', async () => {
  await sys.slack.command({ user: 'U0LEAD', channel: C, text: 'start phase-12-deploy' });
  await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => /require_rehearsal: true\. This runbook was never rehearsed/.test(e.text)), 10_000);

  const dry = await start('phase-12-deploy', true);
  await tickAll(dry.id, PREFLIGHT);
  await tickAll(dry.id, BY_HAND);
  await until(dry.id, (r) => r.status === 'rehearsed', 'rehearsed');
  const rehearsal = await report(dry.id, 'rehearsed');
  expect(rehearsal.json.run.rehearsal).toBe(true);
  expect(rehearsal.json.sign_offs.filter((s) => s.step === 'preflight')).toHaveLength(PREFLIGHT.length);
  expect(calls()).toEqual([]); // a rehearsal never ran the release

  const live = await start('phase-12-deploy', false);
  expect(live.drift).toBeUndefined(); // exactly what was rehearsed
  await tickAll(live.id, PREFLIGHT);
  await tickAll(live.id, BY_HAND);
  const watching = await until(live.id, (r) => r.status === 'watching', 'watch window open');
  expect(watching.watch!.until - watching.watch!.startedAt).toBe(48 * 3_600_000);
  expect(calls()).toEqual(['ssh prod-1.example.com ./release.sh v1.0.0']);
  expect(watching.steps.find((s) => s.id === 'tls')!.evidence!.join('\n')).toMatch(/days left|notAfter/i);

  await sys.slack.command({ user: 'U0LEAD', channel: C, command: '/rollback', text: `${live.id} login broken` });
  const prompt = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => JSON.stringify(e.blocks ?? []).includes('rollback_confirm') && e.text.includes(live.id)), 5000);
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: prompt.ts, action_id: 'rollback_confirm' });
  await until(live.id, (r) => r.status === 'rolled_back', 'rolled back');
  expect(calls().at(-1)).toBe('ssh prod-1.example.com ./release.sh --rollback');

  const { json, md } = await report(live.id, 'rolled_back');
  expect(json.steps.map((s) => [s.id, s.status])).toEqual([['preflight', 'done'], ['tls', 'done'], ['release', 'undone'], ['smoke', 'done'], ['smoke-by-hand', 'done']]);
  expect(json.steps.find((s) => s.id === 'release')).toMatchObject({ estimate_ms: 600_000, over_estimate: false });
  expect(json.sign_offs.map((s) => `${s.step}:${s.item}:${s.user}`)).toEqual(expect.arrayContaining(['preflight:rollback-plan:U0LEAD', 'smoke-by-hand:mail:U0LEAD']));
  expect(json.rollback).toMatchObject({ requested_by: 'U0LEAD', undone: ['release'], still_applied: [] });
  expect(json.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['window_opened', 'window_closed', 'rollback', 'step_undone', 'run_rolled_back']));
  expect(md).toMatch(/\| release \| undone \| 1 \| [^|]+, planned 10m \|/);
});

it('OFN v2: rehearsed, then live; its rollback undoes what has an undo and asks a human to confirm the schema restore', async () => {
  const dry = await start('ofn-v2-deploy', true);
  await until(dry.id, (r) => r.status === 'rehearsed', 'rehearsed');
  expect((await report(dry.id, 'rehearsed')).json.steps.every((s) => s.status === 'done')).toBe(true);
  const before = calls().length;

  const live = await start('ofn-v2-deploy', false);
  expect(live.drift).toBeUndefined();
  await until(live.id, (r) => r.status === 'succeeded', 'deployed');
  expect(calls().slice(before)).toEqual([
    "ansible-playbook playbooks/maintenance_mode.yml --limit uk-prod -e maintenance_mode_message=We are upgrading the site to v2, back shortly.",
    'ssh uk-prod.openfoodnetwork.org.uk sudo systemctl stop unicorn_openfoodnetwork.service',
    'ssh uk-prod.openfoodnetwork.org.uk sudo systemctl stop delayed_job_openfoodnetwork.service',
    'ansible-playbook playbooks/deploy.yml --limit uk-prod',
    'ssh uk-prod.openfoodnetwork.org.uk cd ~/apps/openfoodnetwork/current && bundle exec rake ofn:cache:warm_products',
    'ansible-playbook playbooks/maintenance_mode.yml --limit uk-prod -e disable_maintenance=true',
  ]);
  const done = await report(live.id, 'succeeded');
  expect(done.json.planned_vs_actual.steps_with_estimate).toBe(7);

  const mark = calls().length;
  await sys.slack.command({ user: 'U0LEAD', channel: C, command: '/rollback', text: `${live.id} shopfronts empty` });
  const prompt = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => JSON.stringify(e.blocks ?? []).includes('rollback_confirm') && e.text.includes(live.id)), 5000);
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: prompt.ts, action_id: 'rollback_confirm' });
  // The schema migration's undo is a checklist: the rollback waits for it, ticked by hand.
  await until(live.id, (r) => r.steps.find((s) => s.id === 'deploy')!.status === 'undo_waiting', 'schema undo waits for a human');
  expect(calls().slice(mark)).toEqual(['ansible-playbook playbooks/maintenance_mode.yml --limit uk-prod']);
  await tickAll(live.id, ['db-restored', 'v1-deployed']);
  await until(live.id, (r) => r.status === 'rolled_back', 'rolled back');
  expect(calls().slice(mark + 1)).toEqual([
    'ssh uk-prod.openfoodnetwork.org.uk sudo systemctl start delayed_job_openfoodnetwork.service',
    'ssh uk-prod.openfoodnetwork.org.uk sudo systemctl start unicorn_openfoodnetwork.service',
    'ansible-playbook playbooks/maintenance_mode.yml --limit uk-prod -e disable_maintenance=true',
  ]);

  const { json, md } = await report(live.id, 'rolled_back');
  expect(json.rollback).toMatchObject({ reason: expect.stringContaining('shopfronts empty'), still_applied: [] });
  expect(json.rollback!.undone).toEqual(expect.arrayContaining(['maintenance-off', 'deploy', 'stop-delayed-job', 'stop-unicorn', 'maintenance-on']));
  expect(json.steps.find((s) => s.id === 'cache-warm')!.status).toBe('done'); // nothing to undo
  expect(json.sign_offs.filter((s) => s.step === 'deploy').map((s) => s.item)).toEqual(['db-restored', 'v1-deployed']);
  expect(md).toContain('## Rollback');
  expect(md).toMatch(/\| deploy \| U0LEAD \| db-restored: done \|/);
});
