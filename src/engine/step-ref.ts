// Checks that a button still refers to the live state of a step: a stale button gets a
// polite answer that says what happened instead.
import { PreconditionFailedError } from '../errors.js';
import type { StepRef } from './engine-api.js';
import type { Run, StepState, StepStatus } from './types.js';

const when = (at: number) => new Date(at).toISOString().slice(11, 19) + ' UTC';

export function liveStep(run: Run, ref: StepRef, expected: StepStatus[]): StepState {
  const s = run.steps.find((x) => x.id === ref.stepId);
  if (!s) throw new PreconditionFailedError(`Run ${run.id} has no step "${ref.stepId}".`);
  if (s.attempt === ref.attempt && expected.includes(s.status)) return s;
  throw new PreconditionFailedError(`This button is out of date: ${whatHappened(run, s)}`);
}

function whatHappened(run: Run, s: StepState): string {
  const a = s.approval;
  if (a?.rejection) return `step ${s.id} was rejected by <@${a.rejection.user}> at ${when(a.rejection.at)}.`;
  if (a && s.status === 'done' && a.approvals.length) {
    return `step ${s.id} was approved by ${a.approvals.map((x) => `<@${x.user}>`).join(', ')} at ${when(a.approvals.at(-1)!.at)}.`;
  }
  if (s.skipped) return `step ${s.id} was skipped by <@${s.skipped.user}> at ${when(s.skipped.at)}.`;
  if (run.status === 'aborted' && run.abort) return `run ${run.id} was aborted by <@${run.abort.user}>.`;
  if (run.rollback) return `run ${run.id} is ${run.status.replace(/_/g, ' ')} (requested by <@${run.rollback.requestedBy}>).`;
  return `step ${s.id} is now ${s.status.replace(/_/g, ' ')} (attempt ${s.attempt}).`;
}

export function requireActive(run: Run): void {
  if (!['running', 'paused'].includes(run.status)) {
    throw new PreconditionFailedError(`Run ${run.id} is ${run.status.replace(/_/g, ' ')}; nothing to do.`);
  }
}
