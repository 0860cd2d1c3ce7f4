// Validation of the rehearsal fields (issue 6 §3) beyond the schema: `needs_effect_of` names an
// earlier step, and `dry_run_outputs` holds only expressions that could be evaluated there.
// Reads the input defensively, like the other semantic checks, so it runs even when the schema fails.
import { checkExpression, ExpressionError, findExpressions } from './expressions.js';
import type { Problem } from './problem.js';

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const array = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function rehearsalProblems(input: unknown): Problem[] {
  const runbook = record(input);
  const steps = array(runbook.steps).map(record);
  const ids = steps.map((s) => (typeof s.id === 'string' ? s.id : undefined));
  const vars = Object.keys(record(runbook.vars));
  const secrets = array(runbook.secrets).filter((s): s is string => typeof s === 'string');
  const problems: Problem[] = [];

  steps.forEach((step, i) => {
    const earlier = ids.slice(0, i).filter((x): x is string => x !== undefined);
    const needs = step.needs_effect_of;
    const named = typeof needs === 'string' ? [[needs, ['steps', i, 'needs_effect_of']] as const] : array(needs).map((n, j) => [n, ['steps', i, 'needs_effect_of', j]] as const);
    for (const [name, path] of named) {
      if (typeof name !== 'string') continue; // the schema reports the type
      const at = ids.indexOf(name);
      let message: string | undefined;
      if (name === ids[i]) message = `a step cannot depend on its own effect; name an earlier step (earlier: ${earlier.join(', ') || 'none'})`;
      else if (at > i) message = `"${name}" is a later step (steps[${at}]); needs_effect_of names an earlier step (earlier: ${earlier.join(', ') || 'none'})`;
      else if (at < 0) message = `unknown step "${name}" (earlier: ${earlier.join(', ') || 'none'})`;
      if (message) problems.push({ path: [...path], message });
    }
    // dry_run_outputs are evaluated where the step would have run: earlier steps, vars, secrets.
    for (const [key, value] of Object.entries(record(step.dry_run_outputs))) {
      if (typeof value !== 'string') continue;
      const path = ['steps', i, 'dry_run_outputs', key];
      try {
        for (const { body } of findExpressions(value)) {
          const error = checkExpression(body, { vars, secrets, priorSteps: earlier });
          if (error) problems.push({ path, message: error });
        }
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        problems.push({ path, message: err.message });
      }
    }
  });
  return problems;
}
