// The user/team objects Slack embeds in interaction payloads.
import type { EmulatorContext } from './context.js';
import { ControlError } from './delivery.js';
import type { EmulatorChannel, EmulatorUser, Json } from './types.js';

export function requireUser(ctx: EmulatorContext, ref: unknown): EmulatorUser {
  const user = typeof ref === 'string' ? ctx.store.findUser(ref) : undefined;
  if (!user) throw new ControlError(404, 'user_not_found', `unknown user ${String(ref)}`);
  return user;
}

export function requireChannel(ctx: EmulatorContext, ref: unknown): EmulatorChannel {
  const channel = typeof ref === 'string' ? ctx.store.findChannel(ref) : undefined;
  if (!channel) throw new ControlError(404, 'channel_not_found', `unknown channel ${String(ref)}`);
  return channel;
}

export function userObject(ctx: EmulatorContext, user: EmulatorUser): Json {
  return { id: user.id, username: user.name, name: user.name, team_id: ctx.team.id };
}

export function teamObject(ctx: EmulatorContext): Json {
  return { id: ctx.team.id, domain: ctx.team.domain };
}

export function responseUrlFor(ctx: EmulatorContext, id: string): string {
  return `${ctx.baseUrl}/_emu/response/${id}`;
}
