// Button values and modal private_metadata: compact JSON carrying ids only, parsed with zod
// in the handlers. Nothing else in a payload is trusted; the engine re-checks everything.
import { z } from 'zod';
import type { StepRef } from '../../engine/engine-api.js';
import { cut, LIMITS } from './kit.js';

const Id = z.string().min(1).max(200);

/** `{"runId":"r-1","stepId":"final-sync","attempt":2}` on every step button. */
export const StepRefValue = z.object({ runId: Id, stepId: Id, attempt: z.number().int().min(0) });
/** `{"runId":"r-1"}` on the run card's Abort / Roll back. */
export const RunValue = z.object({ runId: Id });
/** `{"runId":"r-1","reason":"…","to":"flip-dns"}` on the /rollback confirm button (`to` from `--to`). */
export const RollbackValue = z.object({ runId: Id, reason: z.string().max(LIMITS.buttonValue), to: Id.optional() });
/** The typed-confirmation modal's private_metadata: the rollback asked for. */
export const RollbackMeta = RollbackValue.extend({ channel: z.string().max(100).optional() });
export type RollbackMeta = z.infer<typeof RollbackMeta>;
/** `{"runId":"r-1","stepId":"preflight","attempt":1,"item":"backup"}` on a checklist item's buttons. */
export const ChecklistItemValue = StepRefValue.extend({ item: Id });
/** Modal private_metadata: the step (and checklist item), plus where to tell the user about the outcome. */
export const ModalMeta = StepRefValue.extend({ channel: z.string().max(100).optional(), item: Id.optional() });

export type ModalMeta = z.infer<typeof ModalMeta>;

export function stepRefValue(ref: StepRef): string {
  return JSON.stringify({ runId: ref.runId, stepId: ref.stepId, attempt: ref.attempt });
}

export function checklistItemValue(ref: StepRef, item: string): string {
  return JSON.stringify({ runId: ref.runId, stepId: ref.stepId, attempt: ref.attempt, item });
}

export function runValue(runId: string): string {
  return JSON.stringify({ runId });
}

export function rollbackValue(runId: string, reason: string, to?: string): string {
  return JSON.stringify({ runId, reason: cut(reason, 500), ...(to ? { to } : {}) });
}

export function modalMeta(meta: ModalMeta): string {
  return JSON.stringify(meta);
}

/** Parses a JSON value with `schema`; null when it is not JSON or does not match. */
export function parseValue<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  if (!raw) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
