// What a rollback would take, and what it would cost: pure reads of a run record, shared by
// the engine (which acts on them) and the Slack builders (which show them before anyone acts).
import { PreconditionFailedError } from '../errors.js';
import { APPLIED_STEP } from './state-machine.js';
import type { Run, StepState } from './types.js';

export const hasUndo = (run: Run, stepId: string): boolean => run.runbook.steps.some((s) => s.id === stepId && s.undo);

/** Completed steps that may still be in place, most recently completed first. */
export function appliedSteps(run: Run): StepState[] {
  return run.steps
    .map((s, i) => ({ s, i }))
    // After-window steps (T+48h TTL restore…) are never undone by a rollback.
    .filter(({ s }) => APPLIED_STEP.includes(s.status) && !s.afterWindow)
    .sort((a, b) => (b.s.endedAt ?? 0) - (a.s.endedAt ?? 0) || b.i - a.i)
    .map(({ s }) => s);
}

/** Completed steps with an undo that are not undone: what a rollback leaves in place. */
export function stillApplied(run: Run): StepState[] {
  return appliedSteps(run).filter((s) => hasUndo(run, s.id));
}

/**
 * The steps a rollback would take, in undo order. With `to`, only the steps completed after
 * that step, which must have completed.
 */
export function rollbackPlan(run: Run, to?: string): StepState[] {
  const applied = appliedSteps(run);
  if (to === undefined) return applied;
  const target = run.steps.find((s) => s.id === to);
  if (!target) throw new PreconditionFailedError(`Run ${run.id} has no step "${to}". Steps: ${run.steps.map((s) => s.id).join(', ')}.`);
  if (target.endedAt === undefined || ![...APPLIED_STEP, 'skipped', 'undone'].includes(target.status)) {
    throw new PreconditionFailedError(`Step ${to} of run ${run.id} has not completed (it is ${target.status.replace(/_/g, ' ')}); there is nothing to roll back to.`);
  }
  const ti = run.steps.indexOf(target);
  return applied.filter((s) => {
    const si = run.steps.indexOf(s);
    return (s.endedAt ?? 0) > target.endedAt! || ((s.endedAt ?? 0) === target.endedAt && si > ti);
  });
}

export interface PointOfNoReturn {
  stepId: string;
  name: string;
  /** What the step said when it was passed (an approval's prompt), when it said anything. */
  prompt?: string;
}

/** The last step marked `point_of_no_return: true` that is done (still applied), if any. */
export function pointOfNoReturn(run: Run): PointOfNoReturn | null {
  for (const s of appliedSteps(run)) {
    const spec = run.runbook.steps.find((x) => x.id === s.id);
    if (!spec?.point_of_no_return) continue;
    const raw = typeof spec.with.prompt === 'string' && !spec.with.prompt.includes('${{') ? spec.with.prompt : undefined;
    const prompt = s.approval?.prompt ?? raw;
    return { stepId: s.id, name: s.name, ...(prompt ? { prompt } : {}) };
  }
  return null;
}

export interface RollbackPreview {
  /** Steps whose undo would run, in undo order. */
  toUndo: StepState[];
  /** Completed steps in the plan with nothing to undo. */
  nothingToUndo: number;
  pointOfNoReturn: PointOfNoReturn | null;
  to?: string;
}

export function rollbackPreview(run: Run, to?: string): RollbackPreview {
  const plan = rollbackPlan(run, to);
  const toUndo = plan.filter((s) => hasUndo(run, s.id));
  return { toUndo, nothingToUndo: plan.length - toUndo.length, pointOfNoReturn: pointOfNoReturn(run), ...(to ? { to } : {}) };
}
