// auth.test, conversations.info/replies/history, users.info: read-only workspace facts.
import { str, truthy } from '../http-util.js';
import type { StoredMessage } from '../types.js';
import { apiMessage, fail, type ApiHandler } from './handler.js';

export const authTest: ApiHandler = (_args, ctx) => ({
  ok: true,
  url: `https://${ctx.team.domain}.slack.com/`,
  team: ctx.team.name,
  user: ctx.bot.name,
  team_id: ctx.team.id,
  user_id: ctx.bot.userId,
  bot_id: ctx.bot.botId,
  is_enterprise_install: false,
});

export const conversationsInfo: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  return {
    ok: true,
    channel: {
      id: channel.id, name: channel.name, name_normalized: channel.name, is_channel: true, is_group: false,
      is_im: false, is_private: false, is_archived: false, is_general: false, is_member: true,
      is_shared: false, is_org_shared: false, context_team_id: ctx.team.id, created: 1_700_000_000,
      creator: ctx.store.users[0]?.id ?? '', topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 }, num_members: ctx.store.users.length + 1,
    },
  };
};

export const conversationsReplies: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const parent = ctx.store.messages(channel.id).find((m) => m.ts === str(args.ts));
  if (!parent) return fail('thread_not_found');
  const withMeta = { metadata: truthy(args.include_all_metadata) };
  const messages = [parent, ...ctx.store.replies(channel.id, parent.ts).filter(inWindow(args))].map((m) => apiMessage(m, withMeta));
  return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
};

export const conversationsHistory: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const limit = Math.min(Number(str(args.limit) ?? 100) || 100, 999);
  const withMeta = { metadata: truthy(args.include_all_metadata) };
  // Slack returns newest first, between `oldest` and `latest` (exclusive unless `inclusive`).
  const all = [...ctx.store.messages(channel.id)].filter(inWindow(args)).reverse();
  const messages = all.slice(0, limit).map((m) => apiMessage(m, withMeta));
  return { ok: true, messages, has_more: all.length > limit, response_metadata: { next_cursor: '' } };
};

export const usersInfo: ApiHandler = (args, ctx) => {
  const user = ctx.store.findUser(str(args.user) ?? '');
  if (!user) return fail('user_not_found');
  return {
    ok: true,
    user: { id: user.id, team_id: ctx.team.id, name: user.name, real_name: user.name, deleted: false,
      is_bot: false, profile: { display_name: user.name, real_name: user.name } },
  };
};

/** `oldest` / `latest` (message ts, exclusive unless `inclusive`), as conversations.history and .replies take them. */
function inWindow(args: Record<string, unknown>): (m: StoredMessage) => boolean {
  const oldest = Number(str(args.oldest) ?? 0) || 0;
  const latest = Number(str(args.latest) ?? 0) || Infinity;
  const inclusive = truthy(args.inclusive);
  return (m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : (ts > oldest || oldest === 0) && ts < latest;
  };
}

/** chat.getPermalink: a link to any stored message or thread reply (Slack's `/archives/<channel>/p<ts>` form). */
export const chatGetPermalink: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const ts = str(args.message_ts) ?? '';
  const top = ctx.store.messages(channel.id);
  const known = top.some((m) => m.ts === ts) || top.some((m) => ctx.store.replies(channel.id, m.ts).some((r) => r.ts === ts));
  if (!known) return fail('message_not_found');
  return { ok: true, channel: channel.id, permalink: `${ctx.baseUrl}/archives/${channel.id}/p${ts.replace('.', '')}` };
};
