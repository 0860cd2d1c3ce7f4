// The step contract. A step sees only this narrow context: never a Slack client, a BullMQ job
// or Redis. The engine owns persistence, retries, approvals and messages.
import type { Mrkdwn } from '../lib/mrkdwn.js';
import type { z } from 'zod';
import type { GitHub } from '../github/client.js';
import type { StepCall } from '../runbooks/schema.js';

export interface StepLogger {
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
}

/** One line of a `checklist` step; `owner` is a role name or a Slack user id. */
export interface ChecklistItem {
  id: string;
  text: string;
  owner: string;
  required: boolean;
}

/**
 * What a step asks of humans: the engine persists it and shows the buttons. Plain approve/reject
 * by default; `checklist` (items ticked Done / N/A) or `review` (a draft to Send / Edit / Hold)
 * ask for other decisions but wait, expire and resume the same way.
 */
export interface ApprovalRequest {
  prompt: string;
  approvers: string[];
  min: number;
  allowSelf: boolean;
  confirmText?: string;
  /** Absolute deadline (ms since epoch); expiry fails the step. */
  expiresAt?: number;
  checklist?: { items: ChecklistItem[]; noteRequired: boolean };
  /** `text` is posted in the run thread, or in `channel`, once a reviewer sends it. */
  review?: { text: string; channel?: string };
}

export interface StepContext<I> {
  input: I;
  run: {
    id: string;
    dryRun: boolean;
    startedBy: string;
    runbook: string;
    channel: string;
    /** role -> Slack user ids, from the run's snapshot (notify turns `@lead` into mentions). */
    roles: Readonly<Record<string, string[]>>;
  };
  step: { id: string; name: string; attempt: number };
  log: StepLogger;
  /** Live output (shell): kept in full in the run record, tail shown in the thread. */
  stream(chunk: string): void;
  /** Evaluates one `${{ … }}` expression body (for fields listed in `rawFields`). */
  evaluate(expression: string): string;
  /** The same, keeping the value's type (a number stays a number, null stays null). */
  value?(expression: string): unknown;
  /** Secret values the runbook declared; the engine redacts them from everything it shows. */
  secrets: ReadonlyMap<string, string>;
  /** Runs fn once per step attempt; on a re-run after a crash returns the stored value. */
  checkpoint<T>(key: string, fn: () => T | Promise<T>): Promise<T>;
  signal: AbortSignal;
  /**
   * Posts a message in the run thread, or in `channel` when given. Durable and idempotent. The
   * text is Mrkdwn (src/lib/mrkdwn.ts): values from outside go through `md`, so they are escaped.
   */
  notify(message: { text: Mrkdwn; channel?: string }): Promise<void>;
  /**
   * Keeps alerts of these monitors out of Slack until `until` (or an unsilence step, or the end of
   * the run). Silenced alerts are still counted, and listed in the thread when the silence ends.
   */
  silence(monitors: string[], until?: number): Promise<void>;
  /** Ends this run's silences of these monitors and lists what they kept back. */
  unsilence(monitors: string[]): Promise<void>;
  /** Ends this execution; the engine re-runs the step at `at` (a delayed job, not a timer). */
  waitUntil(at: number): never;
  /** Ends this execution; the engine waits for the humans, then marks the step done or failed. */
  awaitApproval(request: ApprovalRequest): never;
  now(): number;
  /**
   * A GitHub REST client (Octokit; throttled and retried per GitHub's rules) with tzero's own
   * credential, or with `token` (a step's `with.token: ${{ secrets.X }}`). Throws when neither exists.
   */
  github(token?: string): GitHub;
}

export interface StepResult {
  outputs?: Record<string, unknown>;
  /** One terse line for the thread message ("HTTP 200 in 42ms"). */
  summary?: string;
  /** Facts that prove the result (status, headers, resolver answers), shown in the thread. */
  evidence?: string[];
}

export interface StepExample {
  description: string;
  with: Record<string, unknown>;
}

export interface StepDefinition<I = any> {
  /** The `uses:` name, e.g. `http.check`. */
  id: string;
  description: string;
  input: z.ZodType<I>;
  /** True when running it twice could do harm: after a crash it is marked in doubt, never re-run silently. */
  sideEffects: boolean;
  /** `run`: runs for real in a dry run; `describe`: reports what it would do. May depend on the input. */
  dryRun: 'run' | 'describe' | ((input: I) => 'run' | 'describe');
  /** `with` fields whose `${{ }}` the step resolves itself (shell keeps them out of the shell text). */
  rawFields?: string[];
  examples: StepExample[];
  /**
   * What the step does or would do, in one line (dry-run report, thread message). `resolve`
   * gives the value of a `${{ }}` in a raw field (secrets already masked), so previews show the
   * resolved command, never the expression.
   */
  describe(input: I, resolve?: (expression: string) => string): string;
  /**
   * Something a person should know before this call runs, e.g. "forced ref update". Confirmations
   * (rollback) show it beside `describe` (see src/engine/describe-undo.ts).
   */
  caution?(input: I): string | undefined;
  execute(ctx: StepContext<I>): Promise<StepResult>;
  /**
   * Built-in check after a crash left the step in doubt, used when the runbook gives no `verify:`.
   * `ctx.checkpoint` returns what the interrupted attempt stored (and throws the fn's error otherwise).
   */
  verify?(ctx: StepContext<I>): Promise<StepResult>;
  /** The undo a step of this type gets when the runbook gives none (filled in when the runbook is loaded). */
  defaultUndo?(step: { id: string; with: Record<string, unknown> }): StepCall;
}

export function defineStep<I>(definition: StepDefinition<I>): StepDefinition<I> {
  if (!definition.examples.length) throw new Error(`step ${definition.id} needs at least one example`);
  return definition;
}
