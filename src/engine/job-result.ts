// What a job handler tells the worker. Its own file so the runners and step-outcome share it
// without importing each other (no import cycles).
export type JobResult = { delayUntil?: number };
