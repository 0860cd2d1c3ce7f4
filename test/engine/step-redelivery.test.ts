// A step job delivered again while the step still runs somewhere (its process was cut off from
// Redis, so BullMQ's lock lapsed) is looked at again later, not declared in doubt: the running
// execution writes its result when Redis is back. Only a step whose execution is gone is in doubt.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Executions } from '../../src/engine/executions.js';
import { keys } from '../../src/engine/keys.js';
import type { RunMessages } from '../../src/engine/messages.js';
import { RunStore } from '../../src/engine/run-store.js';
import { AbortRegistry, type Runtime } from '../../src/engine/runtime.js';
import { runStepJob } from '../../src/engine/step-runner.js';
import type { StepJob } from '../../src/jobs/job-ids.js';
import { makeRun, makeStep } from '../support/run-fixture.js';

const redis = new Redis(process.env.REDIS_URL!);
afterAll(() => redis.disconnect());

function runtime(prefix: string): Runtime {
  const k = keys(prefix);
  const noop = async () => undefined;
  const messages: RunMessages = { card: noop, step: noop, rollback: noop, notify: noop, proposal: noop, changed: noop };
  const jobs = { enqueued: [] as StepJob[], async enqueue(job: StepJob) { this.enqueued.push(job); } };
  return { store: new RunStore(redis, k), jobs, messages, secrets: () => undefined, log: pino({ level: 'silent' }), aborts: new AbortRegistry(), now: () => Date.now(), executions: new Executions(redis, k) };
}

describe('a step job delivered again', () => {
  it('waits while the step is still executing in another process, and is in doubt only once that execution is gone', async () => {
    const prefix = `tzt-redeliver-${randomUUID().slice(0, 8)}`;
    const run = makeRun({ id: `r${randomUUID().slice(0, 6)}`, steps: [makeStep('copy', { status: 'running', startedAt: Date.now() }), makeStep('after')] });
    run.runbook.steps[0]!.with = { run: 'true' };
    const other = new Executions(redis, keys(prefix)); // the process that runs it, cut off for a while
    const stillRunning = other.begin(run.id, 'copy', 1);
    const here = runtime(prefix);
    await here.store.create(run);

    const result = await runStepJob(here, run.id, 'copy', 1);
    expect(result.delayUntil).toBeGreaterThan(Date.now());
    expect((await here.store.get(run.id))!.steps[0]!.status).toBe('running');

    stillRunning(); // that process is gone for good
    await runStepJob(here, run.id, 'copy', 1);
    expect((await here.store.get(run.id))!.steps[0]!.status).toBe('in_doubt');
  });
});
