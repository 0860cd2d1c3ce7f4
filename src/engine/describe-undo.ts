// What a step's undo would do, in words, for confirmations (/rollback): the undo call's own
// `describe` on its resolved input, plus its `caution` (github.ref: "forced ref update") so a
// destructive undo is never a surprise. Secrets are resolved only to parse the input; the text
// comes from `describe`, which never prints tokens.
import { interpolate } from '../runbooks/expressions.js';
import { findStep } from '../steps/registry.js';
import { runScope } from './scope.js';
import type { Run } from './types.js';

export interface UndoDescription {
  stepId: string;
  uses: string;
  text: string;
  /** Set when the undo is destructive in a way a person should confirm knowingly. */
  caution?: string;
}

/** Secrets stand in as `[redacted]`: enough to parse the input, nothing to leak. */
export function describeUndo(run: Run, stepId: string, secrets: ReadonlyMap<string, string> = new Map(run.runbook.secrets.map((n) => [n, '[redacted]']))): UndoDescription | undefined {
  const spec = run.runbook.steps.find((s) => s.id === stepId)?.undo;
  if (!spec) return undefined;
  const def = findStep(spec.uses);
  try {
    const input = def.input.parse(interpolate(spec.with, runScope(run, secrets), { skipFields: def.rawFields ?? [] }));
    return { stepId, uses: spec.uses, text: def.describe(input), caution: def.caution?.(input) };
  } catch {
    return { stepId, uses: spec.uses, text: `${spec.uses} (its input cannot be resolved yet)` };
  }
}
