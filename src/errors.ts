// A handful of error classes with stable codes. The worker maps them to queue behaviour:
// no retry for the first three, backoff for upstream failures (conventions §8).
export type ErrorCode =
  | 'invalid_runbook'
  | 'permission_denied'
  | 'precondition_failed'
  | 'upstream_failure'
  | 'unknown_step'
  | 'step_failed';

export class TzeroError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRunbookError extends TzeroError {
  constructor(message: string, readonly problems: string[] = []) {
    super('invalid_runbook', message, { problems });
  }
}
export class PermissionDeniedError extends TzeroError {
  constructor(message: string) {
    super('permission_denied', message);
  }
}
export class PreconditionFailedError extends TzeroError {
  constructor(message: string) {
    super('precondition_failed', message);
  }
}
export class UpstreamError extends TzeroError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('upstream_failure', message, details);
  }
}
export class UnknownStepError extends TzeroError {
  constructor(uses: string, known: string[]) {
    super('unknown_step', `unknown step type "${uses}"; known: ${known.join(', ')}`);
  }
}
/** A step ran and did not pass; `evidence` says what was seen, `facts` the same as data (for reports). */
export class StepFailure extends TzeroError {
  constructor(message: string, readonly evidence: string[] = [], readonly facts?: Record<string, unknown>) {
    super('step_failed', message, { evidence });
  }
}
