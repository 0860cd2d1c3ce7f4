// Runs one step call (a step, its undo or its verify) through the narrow StepContext.
// Knows nothing of BullMQ or Slack: it reports an outcome the runner persists.
import { StepFailure } from '../errors.js';
import type { StepCall } from '../runbooks/schema.js';
import { interpolate, evaluate, type Scope } from '../runbooks/expressions.js';
import { parseDuration } from '../runbooks/duration.js';
import { findStep } from '../steps/registry.js';
import type { StepContext, StepDefinition, StepResult } from '../steps/define-step.js';
import { createRedactor } from '../lib/redact.js';
import { ApprovalSignal, WaitSignal } from './signals.js';
import type { Run } from './types.js';
import { runScope } from './scope.js';

export type Outcome =
  | { kind: 'done'; result: StepResult }
  | { kind: 'described'; text: string; outputs?: Record<string, unknown> }
  | { kind: 'wait'; at: number }
  | { kind: 'approval'; request: ApprovalSignal['request'] }
  | { kind: 'failed'; error: string; evidence: string[]; facts?: Record<string, unknown> }
  | { kind: 'aborted' };

export interface ExecuteOptions {
  run: Run;
  stepId: string;
  name: string;
  attempt: number;
  call: StepCall;
  timeout?: string;
  secrets: ReadonlyMap<string, string>;
  checkpoints: Record<string, unknown>;
  saveCheckpoint(key: string, value: unknown): Promise<void>;
  notify: StepContext<unknown>['notify'];
  silence: StepContext<unknown>['silence'];
  unsilence: StepContext<unknown>['unsilence'];
  stream(chunk: string): void;
  abort: AbortSignal;
  log: StepContext<unknown>['log'];
  /** The runtime's clock (the one clock): `wait` deadlines and approval expiries read it. */
  now(): number;
  /** The step's rehearsal fields (`dry_run`, `dry_run_outputs`); only for the step itself, not undo/verify. */
  rehearse?: { mode?: 'run' | 'describe'; outputs?: Record<string, unknown> };
  github: StepContext<unknown>['github'];
  /** Run the step type's built-in verify instead of its execute (after a crash, no `verify:` given). */
  builtinVerify?: boolean;
}

export async function executeCall(o: ExecuteOptions): Promise<Outcome> {
  const def = findStep(o.call.uses);
  const scope = runScope(o.run, o.secrets);
  let input: unknown;
  try {
    const resolved = interpolate(o.call.with, scope, { skipFields: def.rawFields ?? [] });
    input = def.input.parse(resolved);
  } catch (err) {
    return { kind: 'failed', error: `invalid input: ${(err as Error).message}`, evidence: [] };
  }
  // The runbook's `dry_run:` overrides the step type's default (issue 6 §3).
  const mode = o.rehearse?.mode ?? (typeof def.dryRun === 'function' ? def.dryRun(input) : def.dryRun);
  if (o.run.dryRun && mode === 'describe') return describe(def, input, scope, o);

  const controller = new AbortController();
  const timeoutMs = o.timeout ? parseDuration(o.timeout) : undefined;
  let timedOut = false;
  const timer = timeoutMs ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs) : undefined;
  const onAbort = () => controller.abort();
  o.abort.addEventListener('abort', onAbort);
  const ctx: StepContext<unknown> = {
    input,
    run: { id: o.run.id, dryRun: o.run.dryRun, startedBy: o.run.startedBy, runbook: o.run.runbook.name, channel: o.run.channel, roles: o.run.runbook.roles },
    step: { id: o.stepId, name: o.name, attempt: o.attempt },
    log: o.log,
    stream: o.stream,
    evaluate: (body) => String(evaluate(body, scope)),
    value: (body) => evaluate(body, scope),
    secrets: o.secrets,
    checkpoint: async (key, fn) => {
      if (key in o.checkpoints) return o.checkpoints[key] as never;
      const value = await fn();
      o.checkpoints[key] = value;
      await o.saveCheckpoint(key, value);
      return value;
    },
    signal: controller.signal,
    notify: o.notify,
    silence: o.silence,
    unsilence: o.unsilence,
    waitUntil: (at) => {
      throw new WaitSignal(at);
    },
    awaitApproval: (request) => {
      throw new ApprovalSignal(request);
    },
    now: o.now,
    github: o.github,
  };
  try {
    if (o.abort.aborted) return { kind: 'aborted' };
    const result = o.builtinVerify && def.verify ? await def.verify(ctx) : await def.execute(ctx);
    return { kind: 'done', result };
  } catch (err) {
    if (err instanceof WaitSignal) return { kind: 'wait', at: err.at };
    if (err instanceof ApprovalSignal) return { kind: 'approval', request: err.request };
    if (o.abort.aborted) return { kind: 'aborted' };
    if (timedOut) return { kind: 'failed', error: `timed out after ${o.timeout}`, evidence: [] };
    if (err instanceof StepFailure) return { kind: 'failed', error: err.message, evidence: err.evidence, ...(err.facts ? { facts: err.facts } : {}) };
    return { kind: 'failed', error: (err as Error).message ?? String(err), evidence: [] };
  } finally {
    if (timer) clearTimeout(timer);
    o.abort.removeEventListener('abort', onAbort);
  }
}

/** A described step: the resolved preview (secrets masked) and the outputs it declared for rehearsals. */
function describe(def: StepDefinition, input: unknown, scope: Scope, o: ExecuteOptions): Outcome {
  const redact = createRedactor(o.secrets.values());
  const resolve = (body: string) => {
    const value = evaluate(body, scope);
    return redact(value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value ?? ''));
  };
  try {
    const text = redact(`DRY RUN: would ${def.describe(input, resolve)}`);
    const outputs = o.rehearse?.outputs ? interpolate(o.rehearse.outputs, scope) : undefined;
    return { kind: 'described', text, outputs };
  } catch (err) {
    return { kind: 'failed', error: `dry run: ${(err as Error).message}`, evidence: [] };
  }
}
