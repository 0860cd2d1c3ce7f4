// Control signals a step throws through its context. They are not failures: the runner turns
// them into persisted states (a delayed job, a pending approval) — conventions §8.
import type { ApprovalRequest } from '../steps/define-step.js';

export class WaitSignal extends Error {
  constructor(readonly at: number) {
    super(`wait until ${new Date(at).toISOString()}`);
  }
}

export class ApprovalSignal extends Error {
  constructor(readonly request: ApprovalRequest) {
    super('waiting for approval');
  }
}
