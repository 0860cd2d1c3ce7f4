// Stalled jobs in the metrics: a bot killed (kill -9) in the middle of a shell step leaves its job
// locked; the replica that takes it back counts one stalled job, and the step's in-doubt end.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startSystem, waitUntil, type System } from '../support/system.js';
import { parseProm, value } from './prom-text.js';

let sys: System | undefined;
afterAll(async () => {
  await sys?.stop();
});

it('counts the stalled job a replica takes back after a kill -9', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-stalled-')), 'effects');
  sys = await startSystem({
    runbooks: {
      'crashy.yml': `
name: crashy
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: side-effect, uses: shell, with: { run: 'echo once >> ${file}; sleep 4' } }
`,
    },
  });
  const child = await sys.spawnBot();
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start crashy' });
  await waitUntil(() => existsSync(file) && readFileSync(file, 'utf8').includes('once'), 15_000, 'the step running');
  child.kill('SIGKILL');
  const bot = await sys.startBot();
  const run = await waitUntil(async () => { const r = (await bot.engine.recentRuns(1))[0]; return r?.steps[0]!.status === 'in_doubt' ? r : null; }, 30_000, 'in doubt');
  const s = await waitUntil(async () => {
    const x = parseProm(await bot.metrics.registry.metrics());
    return value(x, 'tzero_queue_stalled_jobs_total') >= 1 && value(x, 'tzero_step_duration_seconds_count', { result: 'in_doubt' }) >= 1 ? x : null;
  }, 10_000, 'stalled job and in-doubt end counted');
  expect(value(s, 'tzero_queue_stalled_jobs_total')).toBe(1);
  expect(value(s, 'tzero_step_duration_seconds_count', { type: 'shell', result: 'in_doubt' })).toBe(1);
  expect(value(s, 'tzero_runs', { status: 'paused' })).toBe(1);
  await bot.engine.abort(run.id, 'U0LEAD');
}, 90_000);
