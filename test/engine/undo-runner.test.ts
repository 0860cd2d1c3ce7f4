// The undo runner against real Redis: what a cut-off undo, a failed undo and a manual undo do
// to the run record, with the jobs and messages recorded instead of sent.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { beginRollback } from '../../src/engine/flow.js';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import { AbortRegistry, type Runtime } from '../../src/engine/runtime.js';
import type { Run } from '../../src/engine/types.js';
import { runUndoJob } from '../../src/engine/undo-runner.js';
import type { StepJob } from '../../src/jobs/job-ids.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const redis = new Redis(process.env.REDIS_URL!);
afterAll(() => redis.quit());
const dir = mkdtempSync(path.join(os.tmpdir(), 'tz-undo-'));

function runtime(): { rt: Runtime; jobs: StepJob[] } {
  const jobs: StepJob[] = [];
  const noop = async () => undefined;
  const rt: Runtime = {
    store: new RunStore(redis, keys(`t${randomUUID().slice(0, 8)}`)),
    jobs: { enqueue: async (j) => void jobs.push(j) },
    messages: { card: noop, step: noop, rollback: noop, notify: noop, proposal: noop, changed: noop },
    secrets: () => undefined,
    log: pino({ level: 'silent' }),
    aborts: new AbortRegistry(),
    now: () => Date.now(),
  };
  return { rt, jobs };
}

/** A finished run whose only step has the given undo, rolled back up to its first undo job. */
async function rollingBack(rt: Runtime, undo: { uses: string; with: Record<string, unknown> }): Promise<{ run: Run; job: StepJob }> {
  const run = makeRun({ status: 'succeeded', steps: [makeStep('flip', { status: 'done', startedAt: T0, endedAt: T0 + 1 })] });
  run.runbook.steps[0]!.undo = undo;
  const follow = beginRollback(run, 'U0LEAD', 'test', T0 + 2);
  await rt.store.create(run);
  return { run, job: follow.jobs[0]! };
}

it('an undo with side effects cut off by a restart pauses the rollback for a human and is not run again', async () => {
  const { rt } = runtime();
  const marker = path.join(dir, 'cut-off');
  const { run, job } = await rollingBack(rt, { uses: 'shell', with: { run: `touch ${marker}` } });
  expect(job).toMatchObject({ kind: 'undo', stepId: 'flip', undoAttempt: 1 });
  // The process died after the undo started: the record says undoing, attempt 1.
  await rt.store.update(run.id, (r) => void Object.assign(r.steps[0]!, { status: 'undoing', undo: { status: 'running', attempt: 1, startedAt: T0 + 3 } }));
  await runUndoJob(rt, run.id, 'flip', 1);
  const after = (await rt.store.get(run.id))!;
  expect(after.status).toBe('rollback_paused');
  expect(after.steps[0]).toMatchObject({ status: 'undo_failed', undo: { status: 'failed', error: expect.stringMatching(/restarted during this undo/) } });
  expect(existsSync(marker)).toBe(false);
});

it('a stale or duplicate undo job does nothing', async () => {
  const { rt } = runtime();
  const marker = path.join(dir, 'dup');
  const { run } = await rollingBack(rt, { uses: 'shell', with: { run: `touch ${marker}` } });
  await runUndoJob(rt, run.id, 'flip', 7);
  expect((await rt.store.get(run.id))!.steps[0]!.status).toBe('done');
  expect(existsSync(marker)).toBe(false);
});

it('an undo that asks for a human waits (undo_waiting) instead of failing with "undo ended with approval"', async () => {
  const { rt, jobs } = runtime();
  const { run } = await rollingBack(rt, { uses: 'approval', with: { prompt: 'Switch DNS back by hand', approvers: ['lead'] } });
  await runUndoJob(rt, run.id, 'flip', 1);
  const after = (await rt.store.get(run.id))!;
  expect(after.status).toBe('rolling_back');
  expect(after.steps[0]).toMatchObject({ status: 'undo_waiting', undo: { status: 'waiting', human: { prompt: 'Switch DNS back by hand', approvers: ['lead'], min: 1, approvals: [] } } });
  expect(jobs).toEqual([]);
});
