// Which GitHub deployment status a run's state stands for. Pure: read by the mirror, never
// writing run state. A phase changes at most once per human decision, so statuses stay few.
import type { Run } from '../engine/types.js';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface DeploymentPhase {
  /** Posted once per phase, in order. */
  phase: string;
  state: DeploymentState;
  description: string;
}

export function deploymentPhase(run: Run): DeploymentPhase | null {
  if (run.dryRun || !run.runbook.github) return null;
  const failed = run.steps.find((s) => s.status === 'failed');
  switch (run.status) {
    // The timeline (issue #7): nothing is deployed yet while planned; a cancelled plan never was.
    case 'planned':
      return null;
    case 'cancelled':
      return { phase: 'cancelled', state: 'inactive', description: 'plan cancelled before T-0' };
    case 'after_window':
      return { phase: 'after_window', state: 'success', description: 'rollback window closed, all clear; after-window steps scheduled' };
    case 'running':
      return { phase: 'running', state: 'in_progress', description: 'cutover running' };
    case 'paused':
      return failed
        ? { phase: `paused:${failed.id}:${failed.attempt}`, state: 'failure', description: `step ${failed.id} failed; run paused`.slice(0, 140) }
        : { phase: 'paused', state: 'in_progress', description: 'paused: a step is in doubt' };
    case 'watching':
      return { phase: 'watching', state: 'in_progress', description: 'every step done; rollback window open' };
    case 'succeeded':
      return { phase: 'succeeded', state: 'success', description: run.watch ? 'rollback window closed, all clear' : 'cutover done' };
    case 'failed':
      return { phase: 'failed', state: 'failure', description: 'cutover failed' };
    case 'aborted':
      return { phase: 'aborted', state: 'error', description: 'cutover aborted' };
    case 'rolling_back':
      return { phase: 'rolling_back', state: 'in_progress', description: 'rolling back' };
    case 'rolled_back':
      return { phase: 'rolled_back', state: 'inactive', description: 'rolled back' };
    case 'rollback_paused':
      return { phase: 'rollback_paused', state: 'failure', description: 'rollback paused: an undo failed and waits for a human' };
    case 'rollback_failed':
      return { phase: 'rollback_failed', state: 'failure', description: 'rollback failed; check by hand' };
    case 'partially_rolled_back':
      return { phase: 'partially_rolled_back', state: 'inactive', description: 'partially rolled back: some steps are still applied' };
    case 'rehearsed':
      return null; // a dry run never gets here (above), but the status exists
  }
}
