// The runbook format, version 1. These field names are a public contract (issue #2 §1):
// rename nothing without a new format version.
import { z } from 'zod';
import { isDuration } from './duration.js';

export const Slug = z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes');
export const Duration = z.string().refine(isDuration, 'not a duration (use e.g. 90s, 2m, 1h30m)');
/** A role name or a Slack user id (U…/W…). */
export const Principal = z.string().min(1);

export const StepCall = z.strictObject({
  uses: z.string().min(1),
  with: z.record(z.string(), z.unknown()).default({}),
});
export type StepCall = z.infer<typeof StepCall>;

export const OnFailure = z.enum(['pause', 'continue', 'rollback']);
export type OnFailure = z.infer<typeof OnFailure>;

export const Step = z.strictObject({
  id: Slug,
  name: z.string().min(1).optional(),
  uses: z.string().min(1),
  with: z.record(z.string(), z.unknown()).default({}),
  undo: StepCall.optional(),
  verify: StepCall.optional(),
  timeout: Duration.optional(),
  retries: z.number().int().min(0).max(20).default(0),
  on_failure: OnFailure.default('pause'),
  if: z.string().min(1).optional(),
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

export const Runbook = z.strictObject({
  name: Slug,
  title: z.string().min(1).optional(),
  channel: z.string().regex(/^[CGD][A-Z0-9]+$/, 'a Slack channel id such as C0CUTOVER'),
  roles: z.record(Slug, z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U0LEAD'))).default({}),
  can: Permissions.default({}),
  lock: Slug.optional(),
  vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()])).default({}),
  secrets: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')).default([]),
  steps: z.array(Step).min(1, 'a runbook needs at least one step'),
});
export type Runbook = z.infer<typeof Runbook>;
