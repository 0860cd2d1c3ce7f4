// A step that runs for real in a rehearsal (`dry_run: run`) is as safe across a kill -9 as a live
// one: cut off mid-way, it is put in doubt for a human, never re-run silently.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System | undefined;
let redis: Redis | undefined;
afterAll(async () => {
  await sys?.stop();
  redis?.disconnect();
});

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0);

it('puts a dry_run: run step cut off by kill -9 in doubt, and does not run it twice', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tz-')), 'effects');
  sys = await startSystem({
    runbooks: {
      'crashy.yml': `
name: crashy
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
vars: { file: "${file}" }
steps:
  - id: count
    uses: shell
    dry_run: run
    with: { run: 'echo once >> "\${{ vars.file }}"; sleep 4' }
  - { id: after, uses: notify, with: { text: after } }
`,
    },
  });
  redis = new Redis(process.env.REDIS_URL!);
  const store = new RunStore(redis, keys(sys.prefix));
  const step = async (id: string) => {
    const runId = await redis!.get(keys(sys!.prefix).channelRun('C0CUTOVER'));
    return runId ? (await store.get(runId))?.steps.find((s) => s.id === id) : undefined;
  };
  const first = await sys.spawnBot();
  await sys.slack.command({ user: 'U0SECOND', channel: 'C0CUTOVER', text: 'start crashy --dry-run' });
  await waitUntil(async () => lines(file) === 1 && (await step('count'))?.status === 'running', 15_000, 'step running');
  first.kill('SIGKILL');
  await sys.spawnBot();
  await waitUntil(async () => (await step('count'))?.status === 'in_doubt', 20_000, 'in doubt');
  expect(lines(file)).toBe(1);
}, 60_000);
