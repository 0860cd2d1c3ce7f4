// Run records for builder and handler tests: a valid snapshot, steps in any state.
import type { Run, StepState } from '../../src/engine/types.js';

export const T0 = Date.UTC(2026, 10, 22, 13, 0, 0);

export function makeStep(id: string, overrides: Partial<StepState> = {}): StepState {
  return { id, name: id, uses: 'shell', status: 'pending', attempt: 1, outputs: {}, checkpoints: {}, ...overrides };
}

export interface RunOptions extends Partial<Omit<Run, 'steps'>> {
  steps?: StepState[];
  /** Generates this many pending steps when `steps` is not given. */
  stepCount?: number;
}

export function makeRun(options: RunOptions = {}): Run {
  const { stepCount = 3, steps: given, ...rest } = options;
  const steps = given ?? Array.from({ length: stepCount }, (_, i) => makeStep(`step-${i + 1}`));
  return {
    id: 'r-20261122-abc',
    runbook: {
      name: 'db-cutover',
      title: 'Orders DB cutover',
      channel: 'C0CUTOVER',
      roles: { dba: ['U0DBA'] },
      can: {},
      vars: {},
      secrets: [],
      steps: steps.map((s) => ({ id: s.id, uses: s.uses, with: {}, retries: 0, on_failure: 'pause' as const })),
    },
    hash: '0123456789abcdef0123',
    file: 'runbooks/db-cutover.yml',
    dryRun: false,
    startedBy: 'U0LEAD',
    startedAt: T0,
    channel: 'C0CUTOVER',
    lock: 'orders-db',
    status: 'running',
    cursor: 0,
    steps,
    version: 1,
    ...rest,
  };
}

/** A run paused on `step` (the steps before it done), for one-step scenarios. */
export function runWithStep(step: StepState, options: RunOptions = {}): Run {
  const before = [makeStep('precheck', { status: 'done', startedAt: T0, endedAt: T0 + 12_000 })];
  const after = [makeStep('switch-dns')];
  return makeRun({ steps: [...before, step, ...after], cursor: 1, ...options });
}
