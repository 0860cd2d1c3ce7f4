// The report's machine-readable shape (`<runbook>-<run>.json`), a public format: the JSON
// Schema printed by `tzero report --schema` is generated from these zod schemas.
import { z } from 'zod';

const Iso = z.string().describe('an ISO 8601 UTC time');
const Ms = z.number().int().min(0).describe('milliseconds');

export const TimelineRow = z.object({
  at: Iso,
  step: z.string().optional().describe('the step id, when the row is about a step'),
  who: z.string().describe('a Slack user id, a source (sentry, health…), or tzero for what it did by itself'),
  event: z.string().describe('the audit stream kind, e.g. step_ended, step_failed, approve, skip, alert'),
  result: z.string().describe('what came of it: done, failed, skipped, approved, rolled back…'),
  duration_ms: Ms.optional(),
  evidence: z.array(z.string()).describe('what the step or person showed; already redacted'),
});
export type TimelineRow = z.infer<typeof TimelineRow>;

export const AttemptSummary = z.object({
  attempt: z.number().int().min(1),
  status: z.string(),
  duration_ms: Ms.optional(),
  error: z.string().optional(),
  evidence: z.array(z.string()),
});

export const StepSummary = z.object({
  id: z.string(),
  name: z.string(),
  uses: z.string(),
  status: z.string(),
  attempts: z.array(AttemptSummary).describe('every attempt, oldest first; earlier ones kept their error and evidence'),
  duration_ms: Ms.optional().describe('the last attempt'),
  estimate_ms: Ms.optional().describe('the runbook `estimate:`'),
  over_estimate: z.boolean().optional(),
  summary: z.string().optional(),
  skipped: z.object({ by: z.string(), reason: z.string() }).optional(),
  undo: z.object({ status: z.string(), by: z.string().optional(), reason: z.string().optional(), error: z.string().optional() }).optional(),
});

export const Approval = z.object({ step: z.string(), user: z.string(), at: Iso, note: z.string().optional() });
export const SignOff = z.object({ step: z.string(), item: z.string(), state: z.enum(['done', 'na']), user: z.string(), at: Iso, note: z.string().optional() });
export const AlertRow = z.object({ at: Iso, group: z.string(), title: z.string(), status: z.string(), count: z.number().int().min(0), during: z.string().optional().describe('the step in progress, "watch window" or "rollback"') });

export const Report = z.object({
  format: z.literal('tzero.report/v1'),
  run: z.object({
    id: z.string(),
    runbook: z.string(),
    title: z.string().optional(),
    file: z.string(),
    hash: z.string().describe('sha256 of the runbook file, as run'),
    rehearsal: z.boolean().describe('a dry run: nothing was changed'),
    status: z.string(),
    started_by: z.string(),
    started_at: Iso,
    ended_at: Iso.optional(),
    duration_ms: Ms.optional(),
  }),
  timeline: z.array(TimelineRow),
  steps: z.array(StepSummary),
  approvals: z.array(Approval),
  sign_offs: z.array(SignOff).describe('checklist items ticked Done or N/A'),
  alerts: z.array(AlertRow).describe('alerts received while the run was live'),
  rollback: z
    .object({ requested_by: z.string(), at: Iso, reason: z.string(), to: z.string().optional(), undone: z.array(z.string()), still_applied: z.array(z.string()) })
    .optional(),
  planned_vs_actual: z.object({ estimate_ms: Ms, actual_ms: Ms, steps_with_estimate: z.number().int().min(0) }),
});
export type Report = z.infer<typeof Report>;

export function reportJsonSchema(): Record<string, unknown> {
  return { $id: 'https://tzero.dev/schemas/report-v1.json', title: 'tzero cutover report', ...(z.toJSONSchema(Report, { io: 'output' }) as Record<string, unknown>) };
}
