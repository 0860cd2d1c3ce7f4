// A step's `with` as far as it is known before the run: `vars.*` and `run.*` are substituted
// (run.* with placeholders), runtime values (`secrets.*`, `steps.*`) become a neutral placeholder.
// Used only to validate inputs before anything runs.
import { ExpressionError, evaluate, mapExpressions, parseExpression, references, type Scope } from './expressions.js';
import type { FieldPath } from './positions.js';

/** Stands in for a value known only at run time; valid inside URLs, hostnames and commands. */
export const RUNTIME_PLACEHOLDER = 'runtime-value';

export interface StaticInput {
  value: Record<string, unknown>;
  /** Fields that are exactly one runtime expression: their type is unknown until the run. */
  runtimePaths: FieldPath[];
}

/** Throws ExpressionError on an unterminated `${{` (reported by the expression check). */
export function staticInput(
  input: Record<string, unknown>,
  vars: Record<string, unknown>,
  rawFields: readonly string[] = [],
): StaticInput {
  const scope: Scope = {
    vars,
    secrets: new Map(),
    steps: {},
    run: { id: 'run-placeholder', dry_run: false, started_by: 'U0PLACEHOLDER' },
  };
  const runtimePaths: FieldPath[] = [];
  const value = mapExpressions(
    input,
    (body, { path, sole }) => {
      try {
        const refs = references(parseExpression(body));
        if (!refs.some(([root]) => root === 'secrets' || root === 'steps')) return evaluate(body, scope);
      } catch (err) {
        // A bad expression is reported by the expression check; here its value is just unknown.
        if (!(err instanceof ExpressionError)) throw err;
      }
      if (sole) runtimePaths.push(path);
      return RUNTIME_PLACEHOLDER;
    },
    { skipFields: rawFields },
  );
  return { value, runtimePaths };
}
