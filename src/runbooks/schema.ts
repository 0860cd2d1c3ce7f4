// The runbook format, version 1. These field names are a public contract (issue #2 §1):
// rename nothing without a new format version.
import { z } from 'zod';
import { isDuration, isOffset } from './duration.js';

export const Slug = z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes');
export const Duration = z
  .string()
  .refine(isDuration, 'not a duration (use e.g. 90s, 2m, 1h30m)')
  .describe('a duration such as 90s, 2m, 1h30m, 500ms, 3d, 1w');
/** A step's place on the timeline, relative to T-0 (the time the run is planned for). */
export const Offset = z
  .string()
  .refine(isOffset, 'not a time offset (use e.g. T-7d, T-1h, T-0, T+48h)')
  .describe('a time relative to T-0: T-7d, T-1h, T-0, T+48h, T+180d');
/** A role name or a Slack user id (U…/W…). */
export const Principal = z.string().min(1).describe('a role name or a Slack user id (U…/W…)');

export const StepCall = z.strictObject({
  uses: z.string().min(1).describe('the step type'),
  with: z.record(z.string(), z.unknown()).default({}).describe("the step type's input; strings may contain ${{ … }}"),
});
export type StepCall = z.infer<typeof StepCall>;

export const OnFailure = z.enum(['pause', 'continue', 'rollback']);
export type OnFailure = z.infer<typeof OnFailure>;

export const Step = z.strictObject({
  id: Slug.describe('unique in the runbook; steps.<id>.outputs.<key> reads its outputs'),
  name: z.string().min(1).optional().describe('shown in Slack; default: the id'),
  uses: z.string().min(1).describe('the step type'),
  with: z.record(z.string(), z.unknown()).default({}).describe("the step type's input; strings may contain ${{ … }}"),
  undo: StepCall.optional().describe('run on rollback, in reverse order of completion'),
  verify: StepCall.optional().describe('decides whether the step took effect when a crash left it in doubt'),
  timeout: Duration.optional(),
  estimate: Duration.optional().describe('how long the step is planned to take; the report and the card compare it with the actual duration'),
  retries: z.number().int().min(0).max(20).default(0),
  on_failure: OnFailure.default('pause').describe('pause for a human (default), continue, or roll back'),
  if: z.string().min(1).optional().describe("a condition, e.g. \"!run.dry_run\" or \"steps.x.outputs.y == 'ok'\"; false skips the step"),
  point_of_no_return: z.boolean().optional().describe('once this step is done, a rollback says what it now costs and asks to type the runbook name'),
  // The timeline (issue #7): when, who, reminders, grouping on the card.
  at: Offset.optional().describe('the step does not start before T-0 plus this offset (T-7d … T+180d); without it, it follows the previous step'),
  owner: Principal.optional().describe('who is expected to act: mentioned when the step needs a human, reminded before it is due'),
  remind: z.array(Duration).max(10).optional().describe('reminders before `at`, in the run thread, mentioning the owner; default [1h] for a step with `at` and `owner`'),
  phase: z.string().min(1).max(40).optional().describe('groups steps on the card: prepare, window, verify, decommission…'),
  // Rehearsal fields (issue 6 §3): how the step behaves in a dry run. Ignored by live runs.
  dry_run: z.enum(['run', 'describe']).optional().describe("in a dry run: run for real (read-only checks) or only describe; default: the step type's"),
  dry_run_outputs: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('outputs a described step would have produced, so later steps and expressions work in a dry run'),
  needs_effect_of: z
    .union([Slug, z.array(Slug).min(1)])
    .optional()
    .describe('earlier step(s) whose side effect this step checks; in a dry run where one was not done for real, this step is "not rehearsed"'),
});
export type Step = z.infer<typeof Step>;

export const Permissions = z.strictObject({
  start: z.array(Principal).optional(),
  rollback: z.array(Principal).optional(),
  skip: z.array(Principal).optional(),
  retry: z.array(Principal).optional(),
});
export type Permissions = z.infer<typeof Permissions>;
export type Action = keyof Permissions;

// The rollback window after the last step (issue #3 §4): alerts that fire during it can
// propose or start a rollback.
export const WatchTrigger = z.union([
  z.strictObject({ health_down: z.strictObject({ monitor: z.string().min(1), for: Duration.optional() }) }),
  z.strictObject({ sentry_metric_alert: z.strictObject({ rule: z.string().min(1), level: z.enum(['critical', 'warning']).optional() }) }),
  z.strictObject({ queue_above: z.strictObject({ monitor: z.string().min(1), value: z.number() }) }),
  // A firing Alertmanager (or Grafana) alert with this alertname and these labels (issue 9 §2).
  z.strictObject({
    alert: z.strictObject({
      source: z.literal('alertmanager'),
      alertname: z.string().min(1),
      labels: z.record(z.string().min(1), z.string()).default({}),
    }),
  }),
]);
export type WatchTrigger = z.infer<typeof WatchTrigger>;

export const Watch = z.strictObject({
  for: Duration,
  rollback_if: z.array(WatchTrigger).default([]),
  action: z.enum(['propose', 'auto']).default('propose'),
});
export type Watch = z.infer<typeof Watch>;

// GitHub Deployments mirror the run (issue #9 §1): a deployment when the live run starts, and
// its statuses as the run moves, linking to the run card.
export const GitHubDeployment = z.strictObject({
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/name').describe('the repository whose environment history shows the cutover'),
  environment: z.string().min(1).default('production'),
  ref: z.string().min(1).describe('branch, tag or sha the deployment is for'),
});
export type GitHubDeployment = z.infer<typeof GitHubDeployment>;

const UserIds = z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U0LEAD'));
/** A role: its holders, or its holders and what the role does (shown by /cutover roles). */
export const Role = z.union([UserIds, z.strictObject({ users: UserIds, duties: z.string().min(1).max(500).optional() })]);
export type Role = z.infer<typeof Role>;

const RunbookFields = z.strictObject({
  name: Slug.describe('the runbook name used in /cutover start <name>; unique across files'),
  title: z.string().min(1).optional(),
  channel: z.string().regex(/^[CGD][A-Z0-9]+$/, 'a Slack channel id such as C0CUTOVER'),
  roles: z.record(Slug, Role).default({}).describe('role → user ids, or role → { users, duties }'),
  can: Permissions.default({}),
  lock: Slug.optional().describe('runs holding the same lock never overlap; default: the name'),
  vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()])).default({}),
  secrets: z
    .array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'))
    .default([])
    .describe("environment variables of tzero's process readable as ${{ secrets.NAME }}; redacted everywhere"),
  watch: Watch.optional(),
  require_rehearsal: z.boolean().optional().describe('refuse a live run unless the last successful rehearsal ran this exact runbook'),
  github: GitHubDeployment.optional().describe('mirror the run as a GitHub deployment (needs tzero\'s own GitHub credential)'),
  steps: z.array(Step).min(1, 'a runbook needs at least one step'),
  after_window: z
    .array(Step)
    .optional()
    .describe('steps after the rollback window closed (T+48h TTL restore, T+180d decommission): no lock, never undone, cancelled by a rollback that comes first'),
});

// Roles reach the engine as role → user ids (what authorization reads); duties ride beside.
export const Runbook = RunbookFields.transform(({ roles, ...rest }) => {
  const users: Record<string, string[]> = {};
  const duties: Record<string, string> = {};
  for (const [name, role] of Object.entries(roles)) {
    users[name] = Array.isArray(role) ? role : role.users;
    if (!Array.isArray(role) && role.duties) duties[name] = role.duties;
  }
  return { ...rest, roles: users, ...(Object.keys(duties).length ? { duties } : {}) };
});
export type Runbook = z.output<typeof Runbook>;
