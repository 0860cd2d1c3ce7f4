// The run report end to end: a run with an approval, an automatic retry, a human skip and a
// rollback posts its report in the run thread by itself (each time the run ends), through
// the emulator's files.getUploadURLExternal → upload_url → files.completeUploadExternal, and
// /cutover report posts it on request. The files' content is checked, not just their names.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { Report } from '../../src/report/schema.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-report-'));
const C = 'C0CUTOVER';

const RUNBOOK = `
name: orders-db
title: Orders DB cutover
channel: ${C}
roles: { lead: [U0LEAD], second: [U0SECOND] }
can: { retry: [lead, second], skip: [lead], rollback: [lead] }
vars: { dir: "${dir}" }
steps:
  - id: prepare
    uses: shell
    estimate: 1m
    with: { run: 'echo prepared' }
    undo: { uses: shell, with: { run: 'echo undo-prepare >> "\${{ vars.dir }}/log"' } }
  - id: gate
    uses: approval
    with: { prompt: "Go for the flip?", approvers: [lead] }
  - id: final-sync
    uses: shell
    retries: 1
    estimate: 6m
    with: { run: 'if [ -f "\${{ vars.dir }}/tried" ]; then echo synced; else touch "\${{ vars.dir }}/tried"; echo "replica lag 40s" >&2; exit 3; fi' }
  - id: smoke
    uses: shell
    with: { run: 'echo "HTTP 502 <b>bad</b>" >&2; exit 1' }
  - { id: finish, uses: notify, with: { text: "cutover done" } }
`;

beforeAll(async () => {
  sys = await startSystem({ runbooks: { 'orders-db.yml': RUNBOOK }, fastOutbox: true });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

const get = async (id: string) => (await bot.engine.getRun(id))!;
const status = (id: string, want: string) => waitUntil(async () => { const r = await get(id); return r.status === want ? r : null; }, 20_000, `${id} ${want}`);

async function reply(runId: string, has: (r: { text: string; blocks?: unknown[] }) => boolean) {
  return sys.slack.waitFor(async (c) => (await c.messages(C)).find((m) => m.text.includes(runId))?.replies.find(has), 10_000);
}

type Shared = { id: string; name: string; url_private: string };
/** The report uploads in the run's thread (messages with files), oldest first. */
async function uploads(runId: string, count: number) {
  return sys.slack.waitFor(async (c) => {
    const thread = (await c.messages(C)).find((m) => m.text.includes(runId))?.replies ?? [];
    const withFiles = thread.filter((r) => ((r as { files?: Shared[] }).files ?? []).length > 0);
    return withFiles.length >= count ? withFiles : undefined;
  }, 20_000);
}
async function files(msg: unknown): Promise<{ md: string; json: Report; names: string[] }> {
  const shared = (msg as { files: Shared[] }).files;
  const text = async (f: Shared) => (await fetch(f.url_private)).text();
  const md = await text(shared.find((f) => f.name.endsWith('.md'))!);
  const json = Report.parse(JSON.parse(await text(shared.find((f) => f.name.endsWith('.json'))!)));
  return { md, json, names: shared.map((f) => f.name) };
}

it('posts the report when the run ends and again after its rollback, with the retry, skip, approval and rollback in it', async () => {
  await sys.slack.command({ user: 'U0SECOND', channel: C, text: 'start orders-db' });
  const run = await waitUntil(async () => (await bot.engine.recentRuns(5)).find((r) => r.runbook.name === 'orders-db' && r.steps[1]!.status === 'awaiting_approval'), 15_000, 'gate');
  const gate = await reply(run.id, (r) => JSON.stringify(r.blocks ?? []).includes('step_approve'));
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: gate.ts, action_id: 'step_approve' });

  await status(run.id, 'paused'); // final-sync retried by itself, smoke failed
  const skip = await reply(run.id, (r) => JSON.stringify(r.blocks ?? []).includes('step_skip') && JSON.stringify(r.blocks ?? []).includes('smoke'));
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: skip.ts, action_id: 'step_skip' });
  const view = await sys.slack.waitFor(async (c) => (await c.openViews('U0LEAD'))[0], 5000);
  await sys.slack.submitView({ user: 'U0LEAD', view_id: view.id, values: { skip_reason: { skip_reason_input: 'checked | by <b>hand</b>' } } });
  await status(run.id, 'succeeded');

  // The end of the run posts the report by itself: summary + two files.
  const [first] = await uploads(run.id, 1);
  expect(first!.text).toMatch(/Report for run .* \*succeeded\*/);
  expect(first!.text).toContain('1 skipped');
  expect(first!.text).toContain('1 retried');
  const one = await files(first);
  expect(one.names.sort()).toEqual([`orders-db-${run.id}.json`, `orders-db-${run.id}.md`]);
  expect(one.json.run).toMatchObject({ id: run.id, status: 'succeeded', rehearsal: false, started_by: 'U0SECOND' });

  await sys.slack.command({ user: 'U0LEAD', channel: C, command: '/rollback', text: `${run.id} error rate up` });
  const prompt = await sys.slack.waitFor(async (c) => (await c.ephemerals('U0LEAD')).find((e) => JSON.stringify(e.blocks ?? []).includes('rollback_confirm')), 5000);
  await sys.slack.click({ user: 'U0LEAD', channel: C, ts: prompt.ts, action_id: 'rollback_confirm' });
  await status(run.id, 'rolled_back');
  expect(readFileSync(path.join(dir, 'log'), 'utf8')).toBe('undo-prepare\n');

  const second = (await uploads(run.id, 2))[1]!;
  expect(second.text).toMatch(/\*rolled back\*/);
  const { md, json } = await files(second);

  // JSON: a documented shape (parsed above by the schema), holding what happened.
  const step = (id: string) => json.steps.find((s) => s.id === id)!;
  expect(json.run.status).toBe('rolled_back');
  expect(step('final-sync').attempts).toEqual([
    expect.objectContaining({ attempt: 1, status: 'failed', error: expect.stringContaining('exit') }),
    expect.objectContaining({ attempt: 2, status: 'done' }),
  ]);
  expect(step('final-sync')).toMatchObject({ estimate_ms: 360_000, over_estimate: false });
  expect(step('smoke')).toMatchObject({ status: 'skipped', skipped: { by: 'U0LEAD', reason: 'checked | by <b>hand</b>' } });
  expect(step('prepare')).toMatchObject({ status: 'undone', undo: { status: 'done' } });
  expect(json.approvals).toEqual([expect.objectContaining({ step: 'gate', user: 'U0LEAD' })]);
  expect(json.rollback).toMatchObject({ requested_by: 'U0LEAD', undone: ['prepare'], still_applied: [] });
  expect(json.rollback!.reason).toContain('error rate up');
  const rows = json.timeline.map((t) => `${t.step ?? '-'} ${t.event} ${t.who}`);
  expect(rows).toEqual(expect.arrayContaining([
    'gate approve U0LEAD', 'gate step_ended tzero', 'final-sync step_failed tzero', 'final-sync step_retried tzero',
    'final-sync step_ended tzero', 'smoke step_failed tzero', 'smoke skip U0LEAD', 'smoke step_skipped U0LEAD',
    '- rollback U0LEAD', 'prepare step_undone tzero', '- run_rolled_back tzero',
  ]));
  // In order: the failed attempt comes before the passing one, the skip before the end.
  expect(rows.indexOf('final-sync step_failed tzero')).toBeLessThan(rows.indexOf('final-sync step_ended tzero'));
  expect(json.timeline.find((t) => t.event === 'step_failed' && t.step === 'final-sync')!.evidence.join(' ')).toContain('exit');

  // Markdown: the same, as a document; outside text is data (| escaped, no HTML).
  expect(md).toContain(`# Orders DB cutover: run ${run.id}`);
  expect(md).toContain('| Time (UTC) | Step | Who | Result | Duration | Evidence |');
  expect(md).toMatch(/\| smoke \| U0LEAD \| skipped \|[^\n]*checked \\\| by &lt;b&gt;hand&lt;\/b&gt;/);
  expect(md).toMatch(/\| final-sync \| tzero \| failed \|/);
  expect(md).toMatch(/\| final-sync \| done \| 2 \| \d+(ms|s), planned 6m \|/);
  expect(md).not.toContain('<b>');
  expect(md).toMatch(/## Approvals and sign-offs[\s\S]*\| gate \| U0LEAD \| approved \|/);
  expect(md).toMatch(/## Rollback\n\nRequested by U0LEAD at .*error rate up.*\nUndone: prepare\. Still applied: nothing\./);

  // On request: /cutover report posts it once more, and answers at once.
  const res = await sys.slack.command({ user: 'U0SECOND', channel: C, text: `report ${run.id}` });
  expect(JSON.stringify(res)).not.toContain('error');
  const third = (await uploads(run.id, 3))[2]!;
  expect((await files(third)).json.run.status).toBe('rolled_back');
});
