// Server-side authorization against the run's runbook snapshot (never against the file on
// disk, which may have changed since the run started).
import { PermissionDeniedError } from '../errors.js';
import type { Action, Runbook } from '../runbooks/schema.js';

const USER_ID = /^[UW][A-Z0-9]+$/;

/** Expands role names and user ids into the set of user ids. */
export function principals(runbook: Runbook, list: string[]): Set<string> {
  const users = new Set<string>();
  for (const p of list) {
    if (USER_ID.test(p)) users.add(p);
    for (const u of runbook.roles[p] ?? []) users.add(u);
  }
  return users;
}

export function allowedFor(runbook: Runbook, action: Action): string[] {
  const explicit = runbook.can[action];
  if (explicit) return explicit;
  // Defaults (issue #2 §1): anyone with a role may start; the lead decides the rest.
  return action === 'start' ? Object.keys(runbook.roles) : ['lead'];
}

/** `stepId`: the decision is about one step, and the refusal names it. */
export function authorize(runbook: Runbook, action: Action, user: string, stepId?: string): void {
  const allowed = allowedFor(runbook, action);
  if (!principals(runbook, allowed).has(user)) {
    const what = stepId === undefined ? runbook.name : `step ${stepId} of ${runbook.name}`;
    throw new PermissionDeniedError(`You can't ${action} ${what}: only ${describe(allowed)} may.`);
  }
}

export function describe(list: string[]): string {
  return list.map((p) => (USER_ID.test(p) ? `<@${p}>` : p)).join(', ') || 'nobody';
}
