// Runbook text -> validated runbook or its problems, as plain data. Pure and synchronous: run
// inline for small files and in the worker thread for large ones (runbook-pool.ts), so that
// neither parsing nor validating a 1 MB runbook blocks the event loop.
import { InvalidRunbookError } from '../errors.js';
import { MAX_STEPS } from './limits.js';
import type { KnownMonitors } from './known-monitors.js';
import { fromTable, type Position } from './positions.js';
import { count, formatProblem, validateRunbook, type ValidRunbook } from './validate.js';
import { parseYamlTable } from './yaml-table.js';

export type ParseOutcome =
  | { ok: true; runbook: ValidRunbook; namePosition: Position }
  | { ok: false; message: string; problems: string[] };

export function parseRunbookText(text: string, file: string, monitors: KnownMonitors | undefined): ParseOutcome {
  const { value, locate, errors } = fromTable(parseYamlTable(text));
  if (errors.length) {
    const problems = errors.map((e) => `${file}:${e.position.line}:${e.position.col} (yaml): ${e.message}`);
    return { ok: false, message: `${file} is not valid YAML (${count(problems.length, 'problem')})`, problems };
  }
  const steps = (value as { steps?: unknown } | null)?.steps;
  if (Array.isArray(steps) && steps.length > MAX_STEPS) {
    const problem = formatProblem({ path: ['steps'], message: `${steps.length} steps; a runbook may have at most ${MAX_STEPS}`, atKey: true }, { file, positions: locate });
    return { ok: false, message: `${file} has too many steps`, problems: [problem] };
  }
  try {
    return { ok: true, runbook: validateRunbook(value, { file, positions: locate, monitors }), namePosition: locate(['name']) };
  } catch (err) {
    if (err instanceof InvalidRunbookError) return { ok: false, message: err.message, problems: err.problems };
    throw err;
  }
}
