// The producer side of the step queue. The engine depends on this small port, not on BullMQ.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../lib/clock.js';
import { systemClock } from '../lib/clock.js';
import { jobId, type StepJob } from './job-ids.js';

export const STEP_QUEUE = 'tzero-steps';

export interface JobSink {
  enqueue(job: StepJob, opts?: { at?: number }): Promise<void>;
  /** Best effort: a cancelled job that fires anyway finds a stale generation and does nothing. */
  cancel?(job: StepJob): Promise<void>;
}

export class StepQueue implements JobSink {
  readonly queue: Queue<StepJob>;

  constructor(
    connection: Redis,
    prefix: string,
    /** Delays are computed from this clock (the runtime's), never from Date.now(). */
    private readonly clock: Clock = systemClock,
  ) {
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
    const delay = at ? Math.max(0, at - this.clock.now()) : undefined;
    const transient = job.kind === 'heartbeat'; // proves consumption; no trail needed
    // `dueAt` records the due time on the clock's scale with the job (a test clock that jumps
    // a week releases exactly the jobs due by then; see test/support/timeline-driver.ts).
    const data = at ? { ...job, dueAt: at } : job;
    await this.queue.add(job.kind, data, { jobId: jobId(job), delay, ...(transient && { removeOnComplete: true, removeOnFail: true }) });
  }

  /** Removes a delayed job that must not fire any more (a rescheduled or cancelled plan). */
  async cancel(job: StepJob): Promise<void> {
    const found = await this.queue.getJob(jobId(job));
    if (found && (await found.isDelayed())) await found.remove().catch(() => undefined);
  }

  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
