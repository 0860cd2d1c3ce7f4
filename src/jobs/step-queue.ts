// The producer side of the step queue. The engine depends on this small port, not on BullMQ.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobId, type StepJob } from './job-ids.js';

export const STEP_QUEUE = 'tzero-steps';

export interface JobSink {
  enqueue(job: StepJob, opts?: { at?: number }): Promise<void>;
}

export class StepQueue implements JobSink {
  readonly queue: Queue<StepJob>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<StepJob>(STEP_QUEUE, {
      connection,
      prefix: `${prefix}-bull`,
      defaultJobOptions: {
        // Kept a week so a duplicate add of a finished job stays a no-op and leaves a trail.
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
        attempts: 1, // our retries are step-level (`retries:`), visible in the run record
      },
    });
  }

  async enqueue(job: StepJob, opts: { at?: number } = {}): Promise<void> {
    const at = opts.at ?? ('at' in job && job.kind !== 'heartbeat' ? job.at : undefined);
    const delay = at ? Math.max(0, at - Date.now()) : undefined;
    const transient = job.kind === 'heartbeat'; // proves consumption; no trail needed
    await this.queue.add(job.kind, job, { jobId: jobId(job), delay, ...(transient && { removeOnComplete: true, removeOnFail: true }) });
  }

  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
