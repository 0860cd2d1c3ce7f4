// Drift since the rehearsal: a live start compares the runbook with the last successful dry
// run, says which steps changed (or that there was no rehearsal), and `require_rehearsal: true`
// refuses it. A rehearsal that ends posts its report too.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tzero } from '../../src/app.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System;
let bot: Tzero;
const C = 'C0CUTOVER';
const book = (name: string, extra: string, text = 'flip') => `
name: ${name}
channel: ${C}
roles: { lead: [U0LEAD] }
${extra}
steps:
  - { id: prepare, uses: notify, with: { text: "prepare" } }
  - { id: flip, uses: notify, with: { text: "${text}" } }
`;

beforeAll(async () => {
  sys = await startSystem({ runbooks: { 'strict.yml': book('strict', 'require_rehearsal: true'), 'loose.yml': book('loose', '') }, fastOutbox: true });
  bot = await sys.startBot();
});
afterAll(() => sys?.stop());

async function start(text: string): Promise<string> {
  const before = (await sys.slack.ephemerals('U0LEAD')).length;
  await sys.slack.command({ user: 'U0LEAD', channel: C, text });
  const e = await sys.slack.waitFor(async (c) => { const all = await c.ephemerals('U0LEAD'); return all.length > before ? all.at(-1) : undefined; }, 10_000);
  return `${e.text} ${JSON.stringify(e.blocks ?? [])}`;
}
const ended = (name: string, status: string) => waitUntil(async () => (await bot.engine.recentRuns(20)).find((r) => r.runbook.name === name && r.status === status), 15_000, `${name} ${status}`);

it('require_rehearsal refuses a live run until a dry run went through, then refuses again when a step changes', async () => {
  expect(await start('start strict')).toMatch(/require_rehearsal: true\. This runbook was never rehearsed.*nothing was started/);
  expect((await bot.engine.recentRuns(20)).filter((r) => r.runbook.name === 'strict')).toEqual([]);

  await start('start strict --dry-run');
  const rehearsal = await ended('strict', 'rehearsed');
  // The rehearsal's end posts its report in its thread (after the rehearsal is on record).
  await sys.slack.waitFor(async (c) => (await c.messages(C)).find((m) => m.text.includes(rehearsal.id))?.replies.find((r) => /Report for run .*\(rehearsal\)/.test(r.text)), 15_000);

  const live = await start('start strict');
  expect(live).toMatch(/Started run/);
  expect(live).not.toMatch(/changed since|never rehearsed/);
  await waitUntil(async () => (await bot.engine.recentRuns(20)).find((r) => r.runbook.name === 'strict' && !r.dryRun && r.status === 'succeeded'), 15_000, 'live strict');

  writeFileSync(path.join(sys.dir, 'strict.yml'), book('strict', 'require_rehearsal: true', 'flip to Fly.io'));
  expect(await start('start strict')).toMatch(new RegExp(`changed since the last rehearsal \\(run ${rehearsal.id}, [^)]*\\): flip\\..*nothing was started`));
});

it('without require_rehearsal, the start reply warns and names the changed steps', async () => {
  expect(await start('start loose')).toMatch(/Started run[\s\S]*never rehearsed/);
  await ended('loose', 'succeeded');
  await start('start loose --dry-run');
  const rehearsal = await ended('loose', 'rehearsed');
  // Its report is posted after the rehearsal is on record.
  await sys.slack.waitFor(async (c) => (await c.messages(C)).find((m) => m.text.includes(rehearsal.id))?.replies.find((r) => /Report for run/.test(r.text)), 15_000);
  writeFileSync(path.join(sys.dir, 'loose.yml'), book('loose', 'lock: loose-2', 'flip now'));
  const reply = await start('start loose');
  expect(reply).toMatch(/Started run[\s\S]*changed since the last rehearsal \(run \w+, [^)]*\): \(runbook settings\), flip\./);
  const run = await waitUntil(async () => (await bot.engine.recentRuns(20)).find((r) => r.runbook.name === 'loose' && !r.dryRun && r.drift?.rehearsal), 5000, 'drift on record');
  expect(run.drift!.changed).toEqual(['(runbook settings)', 'flip']);
});
