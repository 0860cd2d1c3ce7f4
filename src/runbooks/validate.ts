// Whole-runbook validation, before anything runs: the schema, every step type and its input,
// every role reference, every expression. All problems are reported at once.
import type { z } from 'zod';
import { InvalidRunbookError } from '../errors.js';
import { stepRegistry } from '../steps/registry.js';
import { checkExpression, ExpressionError, findExpressions, type KnownNames } from './expressions.js';
import type { KnownMonitors } from './known-monitors.js';
import type { FieldPath, Locate } from './positions.js';
import type { Problem } from './problem.js';
import { monitorProblems, nameProblems, quorumProblems, shellQuoteProblems, undoTypeProblems } from './rules.js';
import { reservedSecretProblems } from './reserved-secrets.js';
import { rehearsalProblems } from './rehearsal-checks.js';
import { Runbook } from './schema.js';
import { staticInput } from './static-input.js';

/** A runbook that passed validation; `lock` defaults to the name. */
export type ValidRunbook = Runbook & { lock: string };

export interface ValidateOptions {
  /** Shown at the start of each problem. */
  file?: string;
  /** Maps a field path to where it was written (from `parseYaml`). */
  positions?: Locate;
  /** The monitors file's ids: when given, monitor ids the runbook names must be among them. */
  monitors?: KnownMonitors;
}

export type { Problem } from './problem.js';

const USER_ID = /^[UW][A-Z0-9]+$/;

/** Returns the runbook, or throws InvalidRunbookError listing every problem. */
export function validateRunbook(input: unknown, options: ValidateOptions = {}): ValidRunbook {
  const parsed = Runbook.safeParse(input);
  const problems = [
    ...(parsed.success ? [] : zodProblems(parsed.error, [], input)),
    ...semanticProblems(input),
    ...(options.monitors ? monitorProblems(record(input), options.monitors) : []),
    ...reservedSecretProblems(record(input).secrets, options.monitors?.urlEnv),
  ];
  if (problems.length || !parsed.success) {
    const lines = sortByPosition(problems, options.positions).map((p) => formatProblem(p, options));
    const name = options.file ?? (typeof (input as { name?: unknown })?.name === 'string' ? (input as { name: string }).name : 'runbook');
    throw new InvalidRunbookError(`${name} is not a valid runbook (${count(lines.length, 'problem')})`, lines);
  }
  return { ...parsed.data, lock: parsed.data.lock ?? parsed.data.name, steps: parsed.data.steps.map(withDefaultUndo) };
}

/** A step type's default undo (github.merge: reset the branch) when the runbook gives none. */
function withDefaultUndo(step: Runbook['steps'][number]): Runbook['steps'][number] {
  const def = stepRegistry.get(step.uses);
  return step.undo || !def?.defaultUndo ? step : { ...step, undo: def.defaultUndo({ id: step.id, with: step.with }) };
}

function sortByPosition(problems: Problem[], positions: Locate | undefined): Problem[] {
  if (!positions) return problems;
  const keyed = problems.map((p) => ({ p, at: positions(p.path, { key: p.atKey }) }));
  return keyed.sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col).map(({ p }) => p);
}

export function formatProblem(problem: Problem, { file, positions }: ValidateOptions): string {
  const pos = positions?.(problem.path, { key: problem.atKey });
  const where = [file, pos && `${pos.line}:${pos.col}`].filter(Boolean).join(':');
  return `${where ? `${where} ` : ''}${formatPath(problem.path)}: ${problem.message}`;
}

export function formatPath(path: FieldPath): string {
  if (!path.length) return '(root)';
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i ? `.${String(seg)}` : String(seg))).join('');
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** zod issues as problems under `base`; `input` tells a missing field from a wrong one. */
export function zodProblems(error: z.ZodError, base: FieldPath, input: unknown): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"`, atKey: true }));
    }
    const value = valueAt(input, issue.path);
    if (issue.code === 'invalid_type' && value === undefined) return [{ path, message: 'required' }];
    if (issue.code === 'invalid_union') {
      // "Invalid input" says little: name the types the branches expected, when that is the story.
      const expected = issue.errors.map((branch) =>
        branch.map((i) => (i.code === 'invalid_type' && !i.path.length ? i.expected : undefined)).find(Boolean),
      );
      if (expected.length && expected.every(Boolean)) {
        const received = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
        return [{ path, message: `Invalid input: expected ${[...new Set(expected)].join(' or ')}, received ${received}` }];
      }
    }
    return [{ path, message: issue.message }];
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const array = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Checks beyond the schema. Reads the input defensively so they run even when the schema fails. */
function semanticProblems(input: unknown): Problem[] {
  const runbook = record(input);
  const problems: Problem[] = [];
  const roles = Object.keys(record(runbook.roles));
  const vars = record(runbook.vars);
  const secrets = array(runbook.secrets).filter((s): s is string => typeof s === 'string');

  /** `one`: `list` is a single principal at `path` (a checklist owner), not a list. */
  const checkPrincipals = (list: unknown, path: FieldPath, one = false): void => {
    for (const [j, who] of (one ? [list] : array(list)).entries()) {
      if (typeof who === 'string' && !USER_ID.test(who) && !roles.includes(who)) {
        problems.push({
          path: one ? path : [...path, j],
          message: `"${who}" is neither a role (roles: ${roles.join(', ') || 'none'}) nor a Slack user id (U…/W…)`,
        });
      }
    }
  };
  for (const [action, list] of Object.entries(record(runbook.can))) checkPrincipals(list, ['can', action]);

  const seen = new Map<string, string>();
  const priorSteps: string[] = [];
  // after_window steps come after the main steps: same id space, may read their outputs.
  const allSteps = [
    ...array(runbook.steps).map((raw, i) => ({ raw, path: ['steps', i] as FieldPath })),
    ...array(runbook.after_window).map((raw, i) => ({ raw, path: ['after_window', i] as FieldPath })),
  ];
  for (const { raw, path: stepPath } of allSteps) {
    const step = record(raw);
    problems.push(...timelineProblems(step, stepPath, roles));
    const id = typeof step.id === 'string' ? step.id : undefined;
    if (id !== undefined) {
      const first = seen.get(id);
      if (first !== undefined) problems.push({ path: [...stepPath, 'id'], message: `duplicate step id "${id}" (first used by ${first})` });
      else seen.set(id, formatPath(stepPath));
    }
    const before: KnownNames = { vars: Object.keys(vars), secrets, priorSteps: [...priorSteps] };
    if (typeof step.if === 'string') {
      const error = checkExpression(step.if, before, { condition: true });
      if (error) problems.push({ path: [...stepPath, 'if'], message: error });
    }
    problems.push(...nameProblems(step.name, [...stepPath, 'name'], Object.keys(vars)));
    problems.push(...callProblems(step, stepPath, before, runbook, checkPrincipals));
    // undo and verify run after the step itself, so they may read its outputs.
    const after: KnownNames = { ...before, priorSteps: id ? [...priorSteps, id] : priorSteps };
    for (const kind of ['undo', 'verify'] as const) {
      if (step[kind] !== undefined) problems.push(...callProblems(record(step[kind]), [...stepPath, kind], after, runbook, checkPrincipals));
    }
    if (step.undo !== undefined) problems.push(...undoTypeProblems(record(step.undo), [...stepPath, 'undo']));
    if (id) priorSteps.push(id);
  }
  problems.push(...rehearsalProblems(input));
  return problems;
}

/** `owner` names a role or a user; `remind` needs an `at` to count back from. */
function timelineProblems(step: Record<string, unknown>, path: FieldPath, roles: string[]): Problem[] {
  const problems: Problem[] = [];
  const who = step.owner;
  if (typeof who === 'string' && !USER_ID.test(who) && !roles.includes(who)) {
    problems.push({ path: [...path, 'owner'], message: `"${who}" is neither a role (roles: ${roles.join(', ') || 'none'}) nor a Slack user id (U…/W…)` });
  }
  if (step.remind !== undefined && step.at === undefined) problems.push({ path: [...path, 'remind'], message: 'a reminder counts back from `at`: give the step an `at` (e.g. T-1d)' });
  return problems;
}

/** One `uses` + `with`: the step type exists, its expressions are valid, its input parses. */
function callProblems(
  call: Record<string, unknown>,
  path: FieldPath,
  known: KnownNames,
  runbook: Record<string, unknown>,
  checkPrincipals: (list: unknown, path: FieldPath, one?: boolean) => void,
): Problem[] {
  const problems: Problem[] = [];
  const withPath = [...path, 'with'];
  const input = record(call.with);
  const vars = record(runbook.vars);
  const expressionsOk = checkStrings(input, withPath, (text, at) => {
    let found;
    try {
      found = findExpressions(text);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      problems.push({ path: at, message: err.message });
      return false;
    }
    for (const { body } of found) {
      const error = checkExpression(body, known);
      if (error) problems.push({ path: at, message: error });
    }
    return true;
  });

  if (typeof call.uses !== 'string') return problems;
  const def = stepRegistry.get(call.uses);
  if (!def) {
    problems.push({ path: [...path, 'uses'], message: `unknown step type "${call.uses}"; known: ${[...stepRegistry.keys()].join(', ') || 'none'}` });
    return problems;
  }
  if (!expressionsOk) return problems; // an unterminated `${{` leaves nothing to substitute
  problems.push(...shellQuoteProblems(call, withPath));
  const { value, runtimePaths } = staticInput(input, vars, def.rawFields);
  const parsed = def.input.safeParse(value);
  // Approvers after defaults: an approval step that omits them still names someone.
  if (call.uses === 'approval') {
    checkPrincipals(parsed.success ? (parsed.data as { approvers?: unknown }).approvers : input.approvers, [...withPath, 'approvers']);
    if (parsed.success) problems.push(...quorumProblems(runbook, parsed.data as Record<string, unknown>, withPath, path.includes('undo')));
  }
  if (parsed.success) humanPrincipals(call.uses, parsed.data, withPath, checkPrincipals);
  if (!parsed.success) {
    const runtime = runtimePaths.map((p) => formatPath(p));
    const inputProblems = zodProblems(parsed.error, withPath, input);
    problems.push(
      ...inputProblems.filter((p) => {
        const rel = formatPath(p.path.slice(withPath.length));
        return !runtime.some((r) => rel === r || rel.startsWith(`${r}.`) || rel.startsWith(`${r}[`));
      }),
    );
  }
  return problems;
}

/** Calls `check` on every string under `value`; false when any check returned false. */
function checkStrings(value: unknown, path: FieldPath, check: (text: string, path: FieldPath) => boolean): boolean {
  if (typeof value === 'string') return check(value, path);
  let ok = true;
  if (Array.isArray(value)) value.forEach((item, i) => (ok = checkStrings(item, [...path, i], check) && ok));
  else if (value !== null && typeof value === 'object') {
    for (const [k, item] of Object.entries(value)) ok = checkStrings(item, [...path, k], check) && ok;
  }
  return ok;
}

/** Checklist owners and notify reviewers must name someone the runbook knows. */
function humanPrincipals(uses: string, data: unknown, withPath: FieldPath, checkPrincipals: (who: unknown, path: FieldPath, one: boolean) => void): void {
  const d = record(data);
  if (uses === 'checklist') {
    for (const [j, item] of array(d.items).entries()) checkPrincipals(record(item).owner, [...withPath, 'items', j, 'owner'], true);
  }
  if (uses === 'notify' && d.review !== undefined) checkPrincipals(d.review, [...withPath, 'review'], true);
}
