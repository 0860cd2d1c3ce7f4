// A clock a test moves by hand, and a driver that releases the BullMQ delayed jobs due by the
// clock's time. Jobs stay real BullMQ delayed jobs in real Redis: moving the clock only
// promotes those whose `dueAt` (recorded by StepQueue on the clock's scale) has come.
import type { Queue } from 'bullmq';
import type { Clock } from '../../src/lib/clock.js';

export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    if (t < this.t) throw new Error('a clock does not go back');
    this.t = t;
  }
  advance(ms: number): void {
    this.set(this.t + ms);
  }
}

/** Promotes every delayed job due by `clock.now()`; returns how many. */
export async function releaseDue(queue: Queue, clock: Clock): Promise<number> {
  const delayed = await queue.getDelayed();
  let n = 0;
  for (const job of delayed) {
    const due = (job.data as { dueAt?: number }).dueAt;
    if (due !== undefined && due <= clock.now()) {
      await job.promote().catch(() => undefined); // taken meanwhile by another promote
      n++;
    }
  }
  return n;
}

/** Earliest `dueAt` among the delayed jobs (the next moment anything can happen). */
export async function nextDue(queue: Queue): Promise<number | undefined> {
  const delayed = await queue.getDelayed();
  const dues = delayed.map((j) => (j.data as { dueAt?: number }).dueAt).filter((d): d is number => d !== undefined);
  return dues.length ? Math.min(...dues) : undefined;
}

/** Waits until no job is waiting or active (the system has reacted to the last release). */
export async function settle(queue: Queue): Promise<void> {
  for (;;) {
    const c = await queue.getJobCounts('wait', 'active', 'prioritized');
    if (!c.wait && !c.active && !c.prioritized) {
      // Twice quiet in a row: an active job may have just added a follow-up.
      await new Promise((r) => setImmediate(r));
      const again = await queue.getJobCounts('wait', 'active', 'prioritized');
      if (!again.wait && !again.active && !again.prioritized) return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Moves the clock to `until`, step by step through every due job on the way, letting the
 * system react at each moment. A T-7d…T+180d plan runs in seconds.
 */
export async function driveTo(queue: Queue, clock: ManualClock, until: number): Promise<void> {
  for (;;) {
    await settle(queue);
    const next = await nextDue(queue);
    if (next === undefined || next > until) break;
    if (next > clock.now()) clock.set(next);
    await releaseDue(queue, clock);
  }
  if (until > clock.now()) clock.set(until);
  await settle(queue);
}
