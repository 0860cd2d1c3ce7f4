// The consumer side of the step queue: one BullMQ Worker dispatching to the engine's job
// handlers. Stall detection is tightened so a killed process's step is taken back within
// ~5 s (measured: lockDuration 5000 / stalledInterval 1000 → 5 s; BullMQ's defaults → 60 s).
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Runtime } from '../engine/runtime.js';
import { runStepJob } from '../engine/step-runner.js';
import type { JobResult } from '../engine/job-result.js';
import { runWatchCheck, runWatchEnd, runWatchTick } from '../engine/watch-runner.js';
import { runExpireJob, runUndoJob } from '../engine/undo-runner.js';
import { runDueJob, runRemindJob, runT0Job } from '../engine/timeline-runner.js';
import type { StepJob } from './job-ids.js';
import { STEP_QUEUE } from './step-queue.js';

export interface StepWorkerOptions {
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  onHeartbeat?: (at: number) => void;
}

function dispatch(rt: Runtime, job: Exclude<StepJob, { kind: 'heartbeat' }>): Promise<JobResult> {
  switch (job.kind) {
    case 'step':
      return runStepJob(rt, job.runId, job.stepId, job.attempt);
    case 'undo':
      return runUndoJob(rt, job.runId, job.stepId, job.undoAttempt);
    case 'expire':
      return runExpireJob(rt, job.runId, job.stepId, job.attempt);
    case 'watch-end':
      return runWatchEnd(rt, job.runId);
    case 'watch-tick':
      return runWatchTick(rt, job.runId);
    case 'watch-check':
      return runWatchCheck(rt, job.runId, job.trigger, job.since);
    case 'due':
      return runDueJob(rt, job.runId, job.stepId, job.gen);
    case 't0':
      return runT0Job(rt, job.runId, job.gen);
    case 'remind':
      return runRemindJob(rt, job.runId, job.stepId, job.index, job.gen);
  }
}

export function startStepWorker(rt: Runtime, connection: Redis, prefix: string, opts: StepWorkerOptions = {}): Worker<StepJob> {
  const worker = new Worker<StepJob>(
    STEP_QUEUE,
    async (job: Job<StepJob>, token?: string) => {
      const data = job.data;
      if (data.kind === 'heartbeat') {
        opts.onHeartbeat?.(Date.now());
        return;
      }
      const result = await dispatch(rt, data);
      if (result.interrupted) {
        // Shutting down: back to the queue at once (another replica, or this one after a
        // restart, takes it); completing it would leave the step running with no job.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      if (result.delayUntil) {
        // A `wait` step: the same job comes back at its deadline, even after a restart.
        // The deadline is on the runtime's clock; BullMQ's delay is real time from now.
        await job.updateData({ ...data, dueAt: result.delayUntil } as unknown as StepJob);
        await job.moveToDelayed(Date.now() + Math.max(0, result.delayUntil - rt.now()), token);
        throw new DelayedError();
      }
    },
    {
      connection,
      prefix: `${prefix}-bull`,
      concurrency: opts.concurrency ?? 20,
      lockDuration: opts.lockDuration ?? 5000,
      stalledInterval: opts.stalledInterval ?? 1000,
      // A step must never be dropped because its process died a few times: it is re-delivered
      // and the runner decides (re-run, verify, or ask a human).
      maxStalledCount: 100,
    },
  );
  worker.on('failed', (job, err) => rt.log.error({ jobId: job?.id, err }, 'job failed'));
  worker.on('error', (err) => rt.log.error({ err }, 'worker error'));
  return worker;
}
