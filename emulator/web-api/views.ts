// views.open, views.push, views.update: modals per user, opened with a single-use trigger_id.
import { formatBlockKitError, validateView } from '../block-kit.js';
import { isRecord } from '../block-kit-parts.js';
import type { EmulatorContext } from '../context.js';
import { decodeJsonField, str } from '../http-util.js';
import { newHash, newViewId } from '../ids.js';
import { withGeneratedIds } from '../message-content.js';
import type { Json, StoredView } from '../types.js';
import { fail, type ApiHandler } from './handler.js';

const MAX_STACK = 3;
/** Whole view JSON, reference §5 (250 kB). */
const MAX_VIEW_BYTES = 250_000;

type Checked = { ok: true; view: Json } | { ok: false; body: Json };

/** Schema problems come back as invalid_arguments with pointers under /view (reference §5). */
function checkView(raw: unknown, source: string, ctx: EmulatorContext): Checked {
  const decoded = decodeJsonField<unknown>(raw);
  if (!decoded.ok || !isRecord(decoded.value)) {
    return { ok: false, body: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `view`'] } }) };
  }
  if (JSON.stringify(decoded.value).length > MAX_VIEW_BYTES) return { ok: false, body: fail('view_too_large') };
  const errors = validateView(decoded.value).map(formatBlockKitError);
  if (errors.length > 0) {
    ctx.store.recordValidationFailure(source, errors);
    return { ok: false, body: fail('invalid_arguments', { response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } }) };
  }
  return { ok: true, view: decoded.value };
}

/** The full view object Slack returns and later sends back in view_submission payloads. */
function materialize(input: Json, id: string, rootId: string, previousId: string | null, ctx: EmulatorContext): Json {
  return {
    id, team_id: ctx.team.id, type: input.type, title: input.title, close: input.close ?? null,
    submit: input.submit ?? null, blocks: withGeneratedIds((input.blocks as Json[]) ?? []),
    private_metadata: input.private_metadata ?? '', callback_id: input.callback_id ?? '',
    state: { values: {} }, hash: newHash(), clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true, previous_view_id: previousId, root_view_id: rootId,
    app_id: ctx.bot.appId, external_id: input.external_id ?? '', app_installed_team_id: ctx.team.id,
    bot_id: ctx.bot.botId,
  };
}

function toStored(view: Json, user: string): StoredView {
  return { id: String(view.id), user, hash: String(view.hash), view };
}

export const open: ApiHandler = (args, ctx) => {
  const checked = checkView(args.view, 'views.open', ctx);
  if (!checked.ok) return checked.body;
  const trigger = ctx.triggers.exchange(args.trigger_id ?? args.interactivity_pointer);
  if (!trigger.ok) return fail(trigger.error);
  const id = newViewId();
  const view = materialize(checked.view, id, id, null, ctx);
  ctx.store.viewStacks.set(trigger.user, [toStored(view, trigger.user)]);
  ctx.store.changed();
  return { ok: true, view };
};

export const push: ApiHandler = (args, ctx) => {
  const checked = checkView(args.view, 'views.push', ctx);
  if (!checked.ok) return checked.body;
  const trigger = ctx.triggers.exchange(args.trigger_id ?? args.interactivity_pointer);
  if (!trigger.ok) return fail(trigger.error);
  const stack = ctx.store.viewStacks.get(trigger.user);
  if (!stack || stack.length === 0) return fail('not_found');
  if (stack.length >= MAX_STACK) return fail('push_limit_reached');
  const top = stack[stack.length - 1];
  const view = materialize(checked.view, newViewId(), String(top.view.root_view_id), top.id, ctx);
  stack.push(toStored(view, trigger.user));
  ctx.store.changed();
  return { ok: true, view };
};

export const update: ApiHandler = (args, ctx) => {
  const viewId = str(args.view_id);
  const externalId = str(args.external_id);
  if (!viewId && !externalId) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing view_id or external_id'] } });
  const checked = checkView(args.view, 'views.update', ctx);
  if (!checked.ok) return checked.body;
  const existing = viewId ? ctx.store.findView(viewId) : findByExternalId(externalId!, ctx);
  if (!existing) return fail('not_found');
  const hash = str(args.hash);
  if (hash && hash !== existing.hash) return fail('hash_conflict');
  const view = materialize(checked.view, existing.id, String(existing.view.root_view_id),
    (existing.view.previous_view_id as string | null) ?? null, ctx);
  existing.view = view;
  existing.hash = String(view.hash);
  existing.errors = undefined;
  ctx.store.changed();
  return { ok: true, view };
};

function findByExternalId(externalId: string, ctx: EmulatorContext): StoredView | undefined {
  for (const stack of ctx.store.viewStacks.values()) {
    const found = stack.find((v) => v.view.external_id === externalId);
    if (found) return found;
  }
  return undefined;
}
