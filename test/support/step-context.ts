// A fake StepContext for step tests: checkpoints in a Map, notify calls and streamed output
// collected, waitUntil/awaitApproval thrown as recognizable signals, and expressions resolved
// from a flat table the way the engine would (raw fields are left for the step to evaluate).
import type { GitHub } from '../../src/github/client.js';
import type { ApprovalRequest, StepContext, StepDefinition, StepResult } from '../../src/steps/define-step.js';

export class WaitSignal extends Error {
  constructor(readonly at: number) {
    super(`waitUntil(${new Date(at).toISOString()})`);
  }
}

export class ApprovalSignal extends Error {
  constructor(readonly request: ApprovalRequest) {
    super(`awaitApproval(${request.prompt})`);
  }
}

export interface FakeContextOptions {
  /** Expression body → value, e.g. `{ 'vars.fly_app': 'restarters', 'secrets.FLY_API_TOKEN': 't0k' }`, or a function. */
  expressions?: Record<string, string> | ((expression: string) => string);
  roles?: Record<string, string[]>;
  dryRun?: boolean;
  startedBy?: string;
  channel?: string;
  /** Shared across calls to simulate a re-run after a crash. */
  checkpoints?: Map<string, unknown>;
  signal?: AbortSignal;
  now?: () => number;
  attempt?: number;
  /** What ctx.github returns (an Octokit pointed at the GitHub stand-in). */
  github?: (token?: string) => GitHub;
}

export interface FakeContext<I> {
  ctx: StepContext<I>;
  notifications: { text: string; channel?: string }[];
  silences: { op: 'silence' | 'unsilence'; monitors: string[]; until?: number }[];
  /** Everything passed to ctx.stream, concatenated. */
  output(): string;
  checkpoints: Map<string, unknown>;
  /** Expression bodies the step (or the resolution of non-raw fields) evaluated. */
  evaluated: string[];
  logs: { level: 'info' | 'warn'; msg: string; meta?: Record<string, unknown> }[];
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

/** Resolves `${{ }}` in every string of `value`, like the engine does for non-raw fields. */
export function resolveExpressions(value: unknown, evaluate: (expression: string) => string): unknown {
  if (typeof value === 'string') return value.replace(EXPRESSION, (_, body: string) => evaluate(body.trim()));
  if (Array.isArray(value)) return value.map((v) => resolveExpressions(v, evaluate));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveExpressions(v, evaluate)]));
  }
  return value;
}

/** Parses `withInput` through the step's schema (after resolving non-raw fields) and builds a context. */
export function fakeContext<I>(def: StepDefinition<I>, withInput: Record<string, unknown>, options: FakeContextOptions = {}): FakeContext<I> {
  const evaluated: string[] = [];
  const evaluate = (expression: string): string => {
    evaluated.push(expression);
    const table = options.expressions ?? {};
    if (typeof table === 'function') return table(expression);
    if (!Object.hasOwn(table, expression)) throw new Error(`fake context: unknown expression "${expression}"`);
    return table[expression]!;
  };
  const raw = new Set(def.rawFields ?? []);
  const resolved = Object.fromEntries(Object.entries(withInput).map(([k, v]) => [k, raw.has(k) ? v : resolveExpressions(v, evaluate)]));
  const input = def.input.parse(resolved);

  const notifications: { text: string; channel?: string }[] = [];
  const silences: { op: 'silence' | 'unsilence'; monitors: string[]; until?: number }[] = [];
  const logs: FakeContext<I>['logs'] = [];
  let output = '';
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const ctx: StepContext<I> = {
    input,
    run: {
      id: 'run-test',
      dryRun: options.dryRun ?? false,
      startedBy: options.startedBy ?? 'U0STARTER',
      runbook: 'restarters-go-live',
      channel: options.channel ?? 'C0CUTOVER',
      roles: options.roles ?? {},
    },
    step: { id: 'step-under-test', name: 'step under test', attempt: options.attempt ?? 1 },
    log: {
      info: (msg, meta) => logs.push({ level: 'info', msg, meta }),
      warn: (msg, meta) => logs.push({ level: 'warn', msg, meta }),
    },
    stream: (chunk) => void (output += chunk),
    evaluate,
    secrets: new Map(),
    async checkpoint<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
      if (checkpoints.has(key)) return checkpoints.get(key) as T;
      const value = await fn();
      // Stored as the engine would store it: serialized.
      checkpoints.set(key, JSON.parse(JSON.stringify(value ?? null)));
      return value;
    },
    signal: options.signal ?? new AbortController().signal,
    async notify(message) {
      notifications.push({ text: message.text.text, ...(message.channel ? { channel: message.channel } : {}) });
    },
    async silence(monitors, until) {
      silences.push({ op: 'silence', monitors, until });
    },
    async unsilence(monitors) {
      silences.push({ op: 'unsilence', monitors });
    },
    waitUntil(at: number): never {
      throw new WaitSignal(at);
    },
    awaitApproval(request: ApprovalRequest): never {
      throw new ApprovalSignal(request);
    },
    now: options.now ?? (() => Date.now()),
    github: (token) => {
      if (!options.github) throw new Error('fake context: no GitHub given (pass options.github)');
      return options.github(token);
    },
  };
  return { ctx, notifications, silences, output: () => output, checkpoints, evaluated, logs };
}

/** Builds a context and executes the step. */
export async function runStep<I>(def: StepDefinition<I>, withInput: Record<string, unknown>, options: FakeContextOptions = {}): Promise<StepResult & { fake: FakeContext<I> }> {
  const fake = fakeContext(def, withInput, options);
  const result = await def.execute(fake.ctx);
  return { ...result, fake };
}

/** Awaits a promise that must reject with an instance of `type` (StepFailure, WaitSignal…); returns the error. */
export async function rejection<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const outcome = await promise.then(
    (value) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`expected a ${type.name} rejection, but it resolved: ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof type)) throw outcome.error;
  return outcome.error;
}
