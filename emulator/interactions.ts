// Slash commands and button clicks: build Slack's payload, sign it, deliver it, apply the ack.
import { isRecord } from './block-kit-parts.js';
import type { EmulatorContext } from './context.js';
import { ControlError, dispatch, parseAck, type DeliveryResult } from './delivery.js';
import { requireChannel, requireUser, responseUrlFor, teamObject, userObject } from './identity.js';
import { nextTs } from './ids.js';
import { applyResponse } from './respond.js';
import type { EmulatorUser, Json, StoredEphemeral, StoredMessage, StoredView } from './types.js';

export interface CommandInput {
  user: string;
  channel: string;
  text?: string;
  command?: string;
}

export interface InteractionResult extends DeliveryResult {
  triggerId: string;
  responseUrl?: string;
}

export async function runCommand(ctx: EmulatorContext, input: CommandInput): Promise<InteractionResult> {
  const user = requireUser(ctx, input.user);
  const channel = requireChannel(ctx, input.channel);
  const command = input.command ?? '/cutover';
  const responseUrl = responseUrlFor(ctx, ctx.responseUrls.issue({ user: user.id, channel: channel.id }));
  const triggerId = ctx.triggers.issue(user.id);
  // Field order and names as in reference §2.1; every value is a string.
  const fields: Record<string, string> = {
    token: 'emulator-verification-token', team_id: ctx.team.id, team_domain: ctx.team.domain,
    channel_id: channel.id, channel_name: channel.name, user_id: user.id, user_name: user.name,
    command, text: input.text ?? '', api_app_id: ctx.bot.appId, is_enterprise_install: 'false',
    response_url: responseUrl, trigger_id: triggerId,
  };
  const result = await dispatch(ctx, 'slash_commands', fields, true);
  ctx.store.recordDelivery({ at: new Date().toISOString(), kind: 'command', user: user.id, status: result.status, body: result.body });
  if (result.failure) {
    slackbotSays(ctx, user.id, channel.id, `${command} failed with the error "${result.failure}"`);
  } else {
    const ack = parseAck(result);
    // A non-empty ack is shown like a response_url message: ephemeral unless response_type says otherwise.
    if (ack) {
      const outcome = applyResponse(ctx, { user: user.id, channel: channel.id }, ack, 'command ack');
      if (!outcome.ok) slackbotSays(ctx, user.id, channel.id, `${command} failed with the error "${String(outcome.body.error)}"`);
    }
  }
  return { ...result, triggerId, responseUrl };
}

function slackbotSays(ctx: EmulatorContext, user: string, channel: string, text: string): void {
  ctx.store.addEphemeral({ channel, user, text, from: 'slackbot' });
}

export interface ActionInput {
  user: string;
  action_id: string;
  /** Message location; or view_id for a button inside a modal. */
  channel?: string;
  ts?: string;
  view_id?: string;
  block_id?: string;
  /** Picks among buttons sharing an action_id. */
  value?: string;
}

interface FoundButton {
  button: Json;
  blockId: string;
}

export function findButton(blocks: unknown, input: Pick<ActionInput, 'action_id' | 'block_id' | 'value'>): FoundButton | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (input.block_id && block.block_id !== input.block_id) continue;
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const el of candidates) {
      if (!isRecord(el) || el.type !== 'button' || el.action_id !== input.action_id) continue;
      if (input.value !== undefined && el.value !== input.value) continue;
      return { button: el, blockId: String(block.block_id) };
    }
  }
  return undefined;
}

export async function runBlockAction(ctx: EmulatorContext, input: ActionInput): Promise<InteractionResult> {
  const user = requireUser(ctx, input.user);
  if (input.view_id) return runViewAction(ctx, user, input);
  const channel = requireChannel(ctx, input.channel);
  const ts = String(input.ts ?? '');
  const ephemeral = ctx.store.findEphemeral(user.id, channel.id, ts);
  const message: StoredMessage | StoredEphemeral | undefined = ephemeral ?? ctx.store.findMessage(channel.id, ts);
  if (!message) throw new ControlError(404, 'message_not_found', `no message ${ts} in ${channel.id} visible to ${user.id}`);
  const found = findButton(message.blocks, input);
  if (!found) throw new ControlError(404, 'action_not_found', `no button ${input.action_id} in message ${ts}`);
  const threadTs = message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  const responseUrl = responseUrlFor(ctx, ctx.responseUrls.issue({
    user: user.id, channel: channel.id, threadTs, original: { ts, ephemeral: Boolean(ephemeral) },
  }));
  const triggerId = ctx.triggers.issue(user.id);
  const payload: Json = {
    type: 'block_actions', user: userObject(ctx, user), api_app_id: ctx.bot.appId, token: 'emulator-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channel.id, is_ephemeral: Boolean(ephemeral), ...(threadTs ? { thread_ts: threadTs } : {}) },
    trigger_id: triggerId, team: teamObject(ctx), enterprise: null, is_enterprise_install: false,
    channel: { id: channel.id, name: channel.name },
    // Slack does not store ephemerals, so their clicks carry no `message`.
    ...(ephemeral ? {} : { message: structuredClone(message) }),
    state: { values: {} }, response_url: responseUrl, actions: [actionOf(found)],
  };
  if (!ephemeral) delete (payload.message as Json).channel;
  const result = await dispatch(ctx, 'interactive', payload, false);
  ctx.store.recordDelivery({ at: new Date().toISOString(), kind: 'block_actions', user: user.id, status: result.status, body: result.body });
  return { ...result, triggerId, responseUrl };
}

function actionOf(found: FoundButton): Json {
  const { button } = found;
  return {
    action_id: button.action_id, block_id: found.blockId, text: button.text, value: button.value,
    type: 'button', ...(button.style ? { style: button.style } : {}), action_ts: nextTs(),
  };
}

async function runViewAction(ctx: EmulatorContext, user: EmulatorUser, input: ActionInput): Promise<InteractionResult> {
  const stored: StoredView | undefined = ctx.store.findView(input.view_id!);
  if (!stored || stored.user !== user.id) throw new ControlError(404, 'view_not_found', `no open view ${input.view_id} for ${user.id}`);
  const found = findButton(stored.view.blocks, input);
  if (!found) throw new ControlError(404, 'action_not_found', `no button ${input.action_id} in view ${stored.id}`);
  const triggerId = ctx.triggers.issue(user.id);
  const payload: Json = {
    type: 'block_actions', user: userObject(ctx, user), api_app_id: ctx.bot.appId, token: 'emulator-verification-token',
    container: { type: 'view', view_id: stored.id }, trigger_id: triggerId, team: teamObject(ctx),
    enterprise: null, is_enterprise_install: false, view: structuredClone(stored.view), actions: [actionOf(found)],
  };
  const result = await dispatch(ctx, 'interactive', payload, false);
  ctx.store.recordDelivery({ at: new Date().toISOString(), kind: 'block_actions', user: user.id, status: result.status, body: result.body });
  return { ...result, triggerId };
}
