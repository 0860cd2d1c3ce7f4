// Deterministic job ids (conventions §9): BullMQ ignores an add whose id exists, so enqueueing
// twice — from a retry after a crash, or from two replicas — runs the work once. No ':' allowed.
export type StepJob =
  | { kind: 'step'; runId: string; stepId: string; attempt: number }
  | { kind: 'undo'; runId: string; stepId: string; attempt: number }
  | { kind: 'expire'; runId: string; stepId: string; attempt: number }
  | { kind: 'heartbeat'; at: number };

export function jobId(job: StepJob): string {
  switch (job.kind) {
    case 'heartbeat':
      return `heartbeat-${job.at}`;
    default:
      return `run-${job.runId}-${job.kind}-${job.stepId}-${job.attempt}`;
  }
}
