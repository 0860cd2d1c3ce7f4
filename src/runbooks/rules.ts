// Checks that need more than one field at a time (issue #6 §2): monitor ids that exist, approval
// quorums that can be reached, undos that undo, shell values that reach the shell, step names
// that can be shown. Each reads the raw input defensively: the schema may have failed.
import { checkExpression, findExpressions } from './expressions.js';
import { SELF_OTHER_MONITORS, SELF_QUEUE_MONITORS, type KnownMonitors } from './known-monitors.js';
import type { FieldPath } from './positions.js';
import type { Problem } from './problem.js';
import { singleQuotedExpressions } from './shell-quotes.js';
import { closest } from './suggest.js';

const USER_ID = /^[UW][A-Z0-9]+$/;
/** Step types that change nothing, so they cannot stand for the reversal of a step. */
const CANNOT_UNDO = new Set(['wait']);

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const array = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isLiteral = (v: unknown): v is string => typeof v === 'string' && !v.includes('${{');

function unknownMonitor(id: string, known: string[], kind: string, m: KnownMonitors): string {
  const guess = closest(id, known);
  const where = m.exists ? `${kind} in ${m.file}: ${known.join(', ') || 'none'}` : `${m.file} does not exist; tzero's own: ${known.join(', ') || 'none'}`;
  return `unknown ${kind.replace(/s$/, '')} "${id}"${guess ? `; did you mean "${guess}"?` : ''} (${where})`;
}

/** `silence` / `unsilence` calls and `watch.rollback_if` name monitors that exist. */
export function monitorProblems(runbook: Record<string, unknown>, m: KnownMonitors): Problem[] {
  const problems: Problem[] = [];
  const any = [...m.health, ...m.queues, ...SELF_QUEUE_MONITORS, ...SELF_OTHER_MONITORS];
  const calls = array(runbook.steps).flatMap((raw, i) => {
    const step = record(raw);
    return [
      { call: step, path: ['steps', i] as FieldPath },
      ...(['undo', 'verify'] as const).map((kind) => ({ call: record(step[kind]), path: ['steps', i, kind] as FieldPath })),
    ];
  });
  for (const { call, path } of calls) {
    if (call.uses !== 'silence' && call.uses !== 'unsilence') continue;
    for (const [j, id] of array(record(call.with).monitors).entries()) {
      if (isLiteral(id) && !any.includes(id)) problems.push({ path: [...path, 'with', 'monitors', j], message: unknownMonitor(id, any, 'monitors', m) });
    }
  }
  for (const [k, raw] of array(record(runbook.watch).rollback_if).entries()) {
    const trigger = record(raw);
    const health = record(trigger.health_down).monitor;
    if (isLiteral(health) && !m.health.includes(health)) {
      problems.push({ path: ['watch', 'rollback_if', k, 'health_down', 'monitor'], message: unknownMonitor(health, m.health, 'health monitors', m) });
    }
    const queue = record(trigger.queue_above).monitor;
    const queues = [...m.queues, ...SELF_QUEUE_MONITORS];
    if (isLiteral(queue) && !queues.includes(queue)) {
      problems.push({ path: ['watch', 'rollback_if', k, 'queue_above', 'monitor'], message: unknownMonitor(queue, queues, 'queue monitors', m) });
    }
  }
  return problems;
}

/** User ids behind a list of roles and user ids; null when a name is only known at run time. */
function users(list: unknown[], roles: Record<string, unknown>): Set<string> | null {
  const out = new Set<string>();
  for (const p of list) {
    if (!isLiteral(p)) return null;
    if (USER_ID.test(p)) out.add(p);
    else if (!Object.hasOwn(roles, p)) return null; // an unknown role is reported on its own
    // A role is a list of users, or { users, duties } (issue #7).
    const role = roles[p];
    const holders = Array.isArray(role) ? role : array(record(role).users);
    for (const u of holders) if (typeof u === 'string') out.add(u);
  }
  return out;
}

/**
 * An approval whose `min` can never be reached. With `allow_self: false`, when everyone who may
 * start the run is also an approver, whoever starts it removes one approver from the pool.
 * `input` is the approval's input after defaults; `asUndo`: a rollback, which anyone allowed may
 * request, so nobody is removed.
 */
export function quorumProblems(runbook: Record<string, unknown>, input: Record<string, unknown>, withPath: FieldPath, asUndo: boolean): Problem[] {
  const roles = record(runbook.roles);
  const min = input.min;
  if (typeof min !== 'number') return [];
  const approvers = users(array(input.approvers), roles);
  if (!approvers) return [];
  const explicit = record(runbook.can).start;
  const starters = users(Array.isArray(explicit) ? explicit : Object.keys(roles), roles);
  const selfExcluded = !asUndo && input.allow_self !== true && !!starters?.size && [...starters].every((s) => approvers.has(s));
  const eligible = approvers.size - (selfExcluded ? 1 : 0);
  if (eligible >= min) return [];
  const who = `${approvers.size} approver${approvers.size === 1 ? '' : 's'} (${[...approvers].join(', ') || 'nobody'})`;
  const self = selfExcluded ? ", and whoever starts the run is one of them and may not approve it (allow_self is false)" : '';
  return [{ path: [...withPath, 'min'], message: `min ${min} can never be reached: ${who}${self}, so at most ${Math.max(eligible, 0)} can approve` }];
}

/** An undo whose step type cannot undo anything. */
export function undoTypeProblems(undo: Record<string, unknown>, path: FieldPath): Problem[] {
  if (typeof undo.uses !== 'string' || !CANNOT_UNDO.has(undo.uses)) return [];
  return [{
    path: [...path, 'uses'],
    message: `${undo.uses} cannot undo a step: it changes nothing. Use an approval to have a person confirm the undo, or remove the undo`,
  }];
}

/** `${{ }}` inside single quotes in a shell string: the shell would never substitute it. */
export function shellQuoteProblems(call: Record<string, unknown>, withPath: FieldPath): Problem[] {
  const run = record(call.with).run;
  if (call.uses !== 'shell' || typeof run !== 'string') return [];
  let hits: string[];
  try {
    hits = singleQuotedExpressions(run);
  } catch {
    return []; // an unterminated `${{` is reported by the expression check
  }
  return hits.map((expr) => ({
    path: [...withPath, 'run'],
    message: `${expr} is inside single quotes, where the shell never substitutes it; remove the quotes (a value always reaches the command as one argument) or use double quotes`,
  }));
}

/** A step `name` may use vars.* and run.*, known when the run starts (the card shows the result). */
export function nameProblems(name: unknown, path: FieldPath, vars: string[]): Problem[] {
  if (typeof name !== 'string' || !name.includes('${{')) return [];
  let found;
  try {
    found = findExpressions(name);
  } catch (err) {
    return [{ path, message: (err as Error).message }];
  }
  const problems: Problem[] = [];
  for (const { body } of found) {
    if (/^\s*(secrets|steps)\b/.test(body)) {
      problems.push({ path, message: `"${body}" cannot be shown in a step name: a name is resolved when the run starts and may use vars.* and run.* only` });
      continue;
    }
    const error = checkExpression(body, { vars, secrets: [], priorSteps: [] });
    if (error) problems.push({ path, message: error });
  }
  return problems;
}
