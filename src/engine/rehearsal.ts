// Dry runs that rehearse (issue 6 §3): which steps cannot be rehearsed and why, and the honest
// summary a rehearsal ends with. Pure functions over the run record: no Redis, no Slack.
import { conditionBody, evaluateCondition, findExpressions, parseExpression, references, type Scope } from '../runbooks/expressions.js';
import { md, mdJoin, type Mrkdwn } from '../lib/mrkdwn.js';
import type { Step } from '../runbooks/schema.js';
import type { Run, StepState } from './types.js';

/** How a step counts in the rehearsal summary. */
export type RehearsalClass = 'ran' | 'described' | 'not_rehearsed' | 'skipped_by_hand' | 'condition_false' | 'failed' | 'unfinished';

export function rehearsalClass(s: StepState): RehearsalClass {
  if (s.skipped) return 'skipped_by_hand';
  if (s.rehearsal === 'not_rehearsed') return 'not_rehearsed';
  if (s.status === 'done') return s.rehearsal === 'described' ? 'described' : 'ran';
  if (s.status === 'skipped') return 'condition_false';
  if (s.status === 'failed') return 'failed';
  return 'unfinished';
}

/** "rehearsed: 29 ran, 3 described, 1 not rehearsed, 0 skipped by hand" (+ rarer counts when non-zero). */
export function rehearsalSummary(run: Run): string {
  const n = (c: RehearsalClass) => run.steps.filter((s) => rehearsalClass(s) === c).length;
  const parts = [`${n('ran')} ran`, `${n('described')} described`, `${n('not_rehearsed')} not rehearsed`, `${n('skipped_by_hand')} skipped by hand`];
  if (n('condition_false')) parts.push(`${n('condition_false')} skipped (condition false)`);
  if (n('failed')) parts.push(`${n('failed')} failed`);
  if (n('unfinished')) parts.push(`${n('unfinished')} unfinished`);
  return `rehearsed: ${parts.join(', ')}`;
}

/** The thread message that ends a rehearsal. */
export function rehearsalReport(run: Run): Mrkdwn {
  const lines = [md`:performing_arts: Dry run ended · ${rehearsalSummary(run)}`];
  const notRehearsed = run.steps.filter((s) => rehearsalClass(s) === 'not_rehearsed').map((s) => s.id);
  if (notRehearsed.length) lines.push(md`Not rehearsed: ${notRehearsed.join(', ')}`);
  return mdJoin(lines);
}

/** Did the step's side effect happen in this run? In a dry run, only if it ran for real. */
function tookEffect(s: StepState): boolean {
  return s.status === 'done' && s.rehearsal !== 'described';
}

/**
 * Why a pending step of a dry run cannot be rehearsed, or null. It cannot when it checks the
 * effect of a step that did not happen for real (`needs_effect_of`), or when it reads an output
 * that a described step did not produce (no `dry_run_outputs` for it).
 */
export function notRehearsedReason(run: Run, spec: Step): string | null {
  if (!run.dryRun) return null;
  for (const id of spec.needs_effect_of === undefined ? [] : [spec.needs_effect_of].flat()) {
    const s = run.steps.find((x) => x.id === id);
    if (s && !tookEffect(s)) return `not rehearsed: depends on ${id}`;
  }
  for (const [root, id, , key] of stepReferences(spec)) {
    if (root !== 'steps' || !id || !key) continue;
    const s = run.steps.find((x) => x.id === id);
    if (s?.rehearsal && s.rehearsal !== 'ran' && !Object.hasOwn(s.outputs, key)) {
      return `not rehearsed: depends on ${id} (no output "${key}" in this dry run; dry_run_outputs can give one)`;
    }
  }
  return null;
}

/**
 * A condition that is false only because this is a dry run (`if: "!run.dry_run"`): the step is
 * not rehearsed rather than skipped. Returns the note, or null when it is false in a live run too.
 */
export function liveOnlyReason(run: Run, condition: string, scope: Scope): string | null {
  if (!run.dryRun) return null;
  try {
    if (!evaluateCondition(condition, { ...scope, run: { ...scope.run, dry_run: false } })) return null;
  } catch {
    return null;
  }
  return `not rehearsed: runs only in a live run (if: ${condition})`;
}

/** Every reference in the step's `with` strings and its `if`, as paths (steps.<id>.outputs.<key>). */
function stepReferences(spec: Step): string[][] {
  const refs: string[][] = [];
  const safe = (fn: () => void) => {
    try {
      fn();
    } catch {
      /* validation reports malformed expressions; nothing to find here */
    }
  };
  if (spec.if) safe(() => refs.push(...references(parseExpression(conditionBody(spec.if!), { condition: true }))));
  const walk = (v: unknown): void => {
    if (typeof v === 'string') safe(() => findExpressions(v).forEach((e) => refs.push(...references(parseExpression(e.body)))));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(spec.with);
  return refs;
}
