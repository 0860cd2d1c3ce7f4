// Deterministic job ids (conventions §9): BullMQ ignores an add whose id exists, so enqueueing
// twice — from a retry after a crash, or from two replicas — runs the work once. No ':' allowed.
export type StepJob =
  | { kind: 'step'; runId: string; stepId: string; attempt: number }
  // undoAttempt: the undo's own attempt (a retried undo, a second rollback); absent = 1.
  | { kind: 'undo'; runId: string; stepId: string; attempt: number; undoAttempt?: number }
  | { kind: 'expire'; runId: string; stepId: string; attempt: number }
  | { kind: 'heartbeat'; at: number }
  // The rollback window: its end, coarse card refreshes, and delayed checks of `health_down.for`.
  | { kind: 'watch-end'; runId: string; at: number }
  | { kind: 'watch-tick'; runId: string; at: number }
  | { kind: 'watch-check'; runId: string; trigger: number; since: number; at: number }
  // The timeline: a timed step comes due, T-0 is reached, a reminder is due. `gen` is the
  // plan's generation: a reschedule bumps it, so an older timer can never act.
  | { kind: 'due'; runId: string; stepId: string; gen: number; at: number }
  | { kind: 't0'; runId: string; gen: number; at: number }
  | { kind: 'remind'; runId: string; stepId: string; index: number; gen: number; at: number };

export function jobId(job: StepJob): string {
  switch (job.kind) {
    case 'heartbeat':
      return `heartbeat-${job.at}`;
    case 'watch-end':
    case 'watch-tick':
      return `run-${job.runId}-${job.kind}-${job.at}`;
    case 'watch-check':
      return `run-${job.runId}-watch-check-${job.trigger}-${job.since}`;
    case 'due':
      return `run-${job.runId}-due-${job.stepId}-g${job.gen}`;
    case 't0':
      return `run-${job.runId}-t0-g${job.gen}`;
    case 'remind':
      return `run-${job.runId}-remind-${job.stepId}-${job.index}-g${job.gen}`;
    case 'undo':
      return `run-${job.runId}-undo-${job.stepId}-${job.attempt}${(job.undoAttempt ?? 1) > 1 ? `-u${job.undoAttempt}` : ''}`;
    default:
      return `run-${job.runId}-${job.kind}-${job.stepId}-${job.attempt}`;
  }
}
