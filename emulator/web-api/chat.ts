// chat.postMessage, chat.update, chat.postEphemeral, chat.delete.
import { decodeJsonField, str, truthy } from '../http-util.js';
import { isRecord } from '../block-kit-parts.js';
import type { Json, StoredMessage } from '../types.js';
import { messageContent } from '../message-content.js';
import { apiMessage, fail, type ApiHandler } from './handler.js';

export const postMessage: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const threadTs = str(args.thread_ts) || undefined;
  // thread_ts must be a parent's ts; a reply's ts (or an unknown one) is a bot bug we want loud.
  if (threadTs && !ctx.store.messages(channel.id).some((m) => m.ts === threadTs)) return fail('thread_not_found');
  const content = messageContent(args, 'chat.postMessage', ctx.store, { longText: 'truncate' });
  if (!content.ok) return content.body;
  const metadata = messageMetadata(args.metadata);
  if (!metadata.ok) return fail(metadata.error);
  const stored = ctx.store.addMessage({
    channel: channel.id, text: content.text, blocks: content.blocks, thread_ts: threadTs,
    ...(metadata.value && { metadata: metadata.value }),
    subtype: 'bot_message', user: ctx.bot.userId, bot_id: ctx.bot.botId, app_id: ctx.bot.appId, team: ctx.team.id,
  });
  if (threadTs && truthy(args.reply_broadcast)) {
    ctx.store.addMessage({
      channel: channel.id, text: content.text, blocks: content.blocks, subtype: 'thread_broadcast',
      user: ctx.bot.userId, bot_id: ctx.bot.botId, app_id: ctx.bot.appId, team: ctx.team.id,
    });
  }
  return { ok: true, channel: channel.id, ts: stored.ts, message: apiMessage(stored) };
};

export const update: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const ts = str(args.ts) ?? '';
  const message = ctx.store.findMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  if (message.user !== ctx.bot.userId) return fail('cant_update_message');
  const content = messageContent(args, 'chat.update', ctx.store, { longText: 'error' });
  if (!content.ok) return content.body;
  message.text = content.text;
  // Slack keeps the old blocks when only text is sent, and clears them on blocks: [].
  if (content.blocks !== undefined) message.blocks = content.blocks;
  message.edited = { user: ctx.bot.userId, ts: String(Date.now() / 1000) };
  ctx.store.changed();
  return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: apiMessage(message) };
};

export const postEphemeral: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const user = ctx.store.findUser(str(args.user) ?? '');
  if (!user) return fail('user_not_in_channel');
  const content = messageContent(args, 'chat.postEphemeral', ctx.store, { longText: 'error' });
  if (!content.ok) return content.body;
  const eph = ctx.store.addEphemeral({
    channel: channel.id, user: user.id, text: content.text, blocks: content.blocks,
    thread_ts: str(args.thread_ts) || undefined, from: 'bot',
  });
  return { ok: true, message_ts: eph.ts };
};

export const deleteMessage: ApiHandler = (args, ctx) => {
  const channel = ctx.store.findChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const ts = str(args.ts) ?? '';
  const message = ctx.store.findMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  if (message.user !== ctx.bot.userId) return fail('cant_delete_message');
  ctx.store.deleteMessage(channel.id, ts);
  return { ok: true, channel: channel.id, ts };
};

/** `metadata`: a JSON object (or its JSON text) with a string `event_type` and an object `event_payload`. */
function messageMetadata(raw: unknown): { ok: true; value?: StoredMessage['metadata'] } | { ok: false; error: string } {
  const decoded = decodeJsonField<unknown>(raw);
  if (!decoded.ok) return { ok: false, error: 'invalid_metadata_format' };
  if (decoded.value === undefined) return { ok: true };
  const m = decoded.value;
  if (!isRecord(m) || typeof m.event_type !== 'string' || !/^[A-Za-z0-9_]{1,255}$/.test(m.event_type) || !isRecord(m.event_payload)) {
    return { ok: false, error: 'invalid_metadata_schema' };
  }
  return { ok: true, value: { event_type: m.event_type, event_payload: structuredClone(m.event_payload) as Json } };
}
