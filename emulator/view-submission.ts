// Submitting and closing modals: state.values from the user's input, then Slack's response_action rules.
import { formatBlockKitError, validateView } from './block-kit.js';
import { isRecord } from './block-kit-parts.js';
import type { EmulatorContext } from './context.js';
import { ControlError, dispatch, parseAck, type DeliveryResult } from './delivery.js';
import { requireUser, teamObject, userObject } from './identity.js';
import { newHash, newViewId } from './ids.js';
import { withGeneratedIds } from './message-content.js';
import type { Json, StoredView } from './types.js';

/** block_id → action_id → text, or action_id/block_id → text when unambiguous. */
export type SubmitValues = Record<string, string | Record<string, string>>;

export interface SubmitInput {
  user: string;
  view_id: string;
  values?: SubmitValues;
}

export type SubmitOutcome = 'closed' | 'errors' | 'updated' | 'pushed' | 'cleared' | 'blocked' | 'failed';

export interface SubmitResult extends Partial<DeliveryResult> {
  outcome: SubmitOutcome;
  errors?: Record<string, string>;
}

function topView(ctx: EmulatorContext, userRef: string, viewId: string): { stack: StoredView[]; view: StoredView; user: string } {
  const user = requireUser(ctx, userRef);
  const stack = ctx.store.viewStacks.get(user.id) ?? [];
  const view = stack[stack.length - 1];
  if (!view || view.id !== viewId) throw new ControlError(404, 'view_not_found', `view ${viewId} is not the open view of ${user.id}`);
  return { stack, view, user: user.id };
}

/** Builds state.values for every input block; unknown keys are a test bug, so they throw. */
export function stateValues(view: Json, values: SubmitValues): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  const used = new Set<string>();
  for (const block of (view.blocks as Json[]) ?? []) {
    if (block.type !== 'input' || !isRecord(block.element)) continue;
    const blockId = String(block.block_id);
    const actionId = String(block.element.action_id);
    const byBlock = values[blockId];
    let value: string | undefined;
    if (isRecord(byBlock) && typeof byBlock[actionId] === 'string') {
      value = byBlock[actionId];
      used.add(blockId);
    } else if (typeof byBlock === 'string') {
      value = byBlock;
      used.add(blockId);
    } else if (typeof values[actionId] === 'string') {
      value = values[actionId] as string;
      used.add(actionId);
    }
    out[blockId] = { [actionId]: { type: String(block.element.type), value: value ?? null } };
  }
  const unknown = Object.keys(values).filter((k) => !used.has(k));
  if (unknown.length > 0) throw new ControlError(400, 'unknown_fields', `no input for ${unknown.join(', ')}`);
  return out;
}

/** The Slack client refuses to submit with a required input left empty; so do we. */
function missingRequired(view: Json, state: Record<string, Record<string, Json>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const block of (view.blocks as Json[]) ?? []) {
    if (block.type !== 'input' || block.optional === true) continue;
    const entry = Object.values(state[String(block.block_id)] ?? {})[0];
    if (!entry || entry.value === null || entry.value === '') errors[String(block.block_id)] = 'Please complete this required field.';
  }
  return errors;
}

export async function submitView(ctx: EmulatorContext, input: SubmitInput): Promise<SubmitResult> {
  const { stack, view, user } = topView(ctx, input.user, input.view_id);
  const values = stateValues(view.view, input.values ?? {});
  const missing = missingRequired(view.view, values);
  if (Object.keys(missing).length > 0) {
    view.errors = missing;
    ctx.store.changed();
    return { outcome: 'blocked', errors: missing };
  }
  view.view.state = { values };
  const payload: Json = {
    type: 'view_submission', team: teamObject(ctx), user: userObject(ctx, requireUser(ctx, user)),
    api_app_id: ctx.bot.appId, token: 'emulator-verification-token', trigger_id: ctx.triggers.issue(user),
    view: structuredClone(view.view), response_urls: [], enterprise: null, is_enterprise_install: false,
  };
  const result = await dispatch(ctx, 'interactive', payload, true);
  ctx.store.recordDelivery({ at: new Date().toISOString(), kind: 'view_submission', user, status: result.status, body: result.body });
  if (result.failure) return { ...result, outcome: 'failed' };
  return { ...result, ...applyViewAck(ctx, stack, view, parseAck(result)) };
}

function applyViewAck(ctx: EmulatorContext, stack: StoredView[], view: StoredView, ack: Json | undefined): Omit<SubmitResult, keyof DeliveryResult> {
  const action = ack?.response_action;
  if (action === 'errors') {
    view.errors = (isRecord(ack?.errors) ? ack!.errors : {}) as Record<string, string>;
    ctx.store.changed();
    return { outcome: 'errors', errors: view.errors };
  }
  if (action === 'clear') {
    ctx.store.viewStacks.delete(view.user);
  } else if (action === 'update' || action === 'push') {
    const problems = validateView(ack?.view).map(formatBlockKitError);
    if (problems.length > 0) {
      ctx.store.recordValidationFailure(`view_submission response_action ${action}`, problems);
      return { outcome: 'failed' };
    }
    const next = ack!.view as Json;
    const id = action === 'update' ? view.id : newViewId();
    const built: Json = {
      ...view.view, ...next, id, hash: newHash(), blocks: withGeneratedIds((next.blocks as Json[]) ?? []),
      state: { values: {} }, previous_view_id: action === 'push' ? view.id : view.view.previous_view_id,
    };
    const stored: StoredView = { id, user: view.user, hash: String(built.hash), view: built };
    if (action === 'update') stack[stack.length - 1] = stored;
    else stack.push(stored);
  } else {
    stack.pop();
    if (stack.length === 0) ctx.store.viewStacks.delete(view.user);
  }
  ctx.store.changed();
  const outcome = action === 'clear' ? 'cleared' : action === 'update' ? 'updated' : action === 'push' ? 'pushed' : 'closed';
  return { outcome };
}

/** The user pressed Cancel/×: the top view goes; view_closed is sent only if the app asked for it. */
export async function closeView(ctx: EmulatorContext, input: { user: string; view_id: string }): Promise<{ notified: boolean; status?: number }> {
  const { stack, view, user } = topView(ctx, input.user, input.view_id);
  stack.pop();
  if (stack.length === 0) ctx.store.viewStacks.delete(user);
  ctx.store.changed();
  if (view.view.notify_on_close !== true) return { notified: false };
  const payload: Json = {
    type: 'view_closed', team: teamObject(ctx), user: userObject(ctx, requireUser(ctx, user)),
    api_app_id: ctx.bot.appId, token: 'emulator-verification-token', view: structuredClone(view.view), is_cleared: false,
  };
  const result = await dispatch(ctx, 'interactive', payload, false);
  ctx.store.recordDelivery({ at: new Date().toISOString(), kind: 'view_closed', user, status: result.status, body: result.body });
  return { notified: true, status: result.status };
}
