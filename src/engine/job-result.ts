// What a job handler tells the worker. Its own file so the runners and step-outcome share it
// without importing each other (no import cycles).
/** `interrupted`: tzero is shutting down; the job must go back to the queue, not complete. */
export type JobResult = { delayUntil?: number; interrupted?: boolean };
