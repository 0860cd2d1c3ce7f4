// A replica killed in the middle of /cutover start (after it wrote the run and took the lock,
// before the card and the first job) leaves a half-started run: another live replica takes it
// over, instead of it staying "running 0/N" with its lock held until the dead one comes back.
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import type { Run } from '../../src/engine/types.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { startSystem, waitUntil, type System } from '../support/system.js';

let sys: System | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  await sys?.stop();
  redis?.disconnect();
});

const RUNBOOK = `
name: go-live
channel: C0CUTOVER
roles: { lead: [U0LEAD], second: [U0SECOND] }
steps:
  - { id: announce, uses: notify, with: { text: "starting" } }
  - { id: done, uses: notify, with: { text: "done" } }
`;

describe('a replica killed during /cutover start', () => {
  it('leaves a half-started run that a live replica takes over: card posted, steps run, lock released', async () => {
    sys = await startSystem({ runbooks: { 'go-live.yml': RUNBOOK } });
    await sys.startBot(); // the replica that stays up (it booted before the run existed)
    redis = new Redis(process.env.REDIS_URL!);
    const k = keys(sys.prefix);
    const store = new RunStore(redis, k);
    // What the dying replica had written: the lock and the run record, nothing else.
    const loaded = (await loadRunbooks(sys.dir)).runbooks.get('go-live')!;
    const now = Date.now();
    const run: Run = {
      id: 'halfst', runbook: loaded.runbook, hash: loaded.hash, file: loaded.file, dryRun: false, startedBy: 'U0SECOND', startedAt: now,
      channel: 'C0CUTOVER', lock: 'go-live', status: 'running', cursor: 0, version: 0,
      steps: loaded.runbook.steps.map((s) => ({ id: s.id, name: s.name ?? s.id, uses: s.uses, status: 'pending' as const, attempt: 1, outputs: {}, checkpoints: {} })),
    };
    expect(await store.takeLock('go-live', { runId: run.id, user: 'U0SECOND', at: now })).toBeNull();
    expect(await store.create(run)).toBe(true);

    const ended = await waitUntil(async () => { const r = await store.get(run.id); return r?.status === 'succeeded' ? r : null; }, 30_000, 'taken over and finished');
    expect(ended.steps.map((s) => s.status)).toEqual(['done', 'done']);
    // The lock is released just after the final status is written: wait for it, do not race it.
    await waitUntil(async () => (await redis!.get(k.lock('go-live'))) === null, 10_000, 'lock released');
    const card = await waitUntil(async () => (await sys!.slack.messages('C0CUTOVER')).find((m) => m.text.includes(run.id)), 15_000, 'card');
    expect(card).toBeTruthy();
  }, 60_000);
});
