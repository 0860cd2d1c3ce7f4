// files.getUploadURLExternal and files.completeUploadExternal (integrations.md §4.1).
import { decodeJsonField, str } from '../http-util.js';
import { fileObject } from '../files.js';
import { fail, type ApiHandler } from './handler.js';

export const getUploadURLExternal: ApiHandler = (args, ctx) => {
  const filename = str(args.filename);
  if (!filename) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: filename'] } });
  const length = Number(str(args.length) ?? String(args.length ?? ''));
  if (!Number.isInteger(length) || length < 1) return fail('missing_argument');
  const altTxt = str(args.alt_txt);
  if (altTxt && altTxt.length > 1000) return fail('alt_txt_too_large');
  const file = ctx.files.create(filename, length);
  return { ok: true, upload_url: `${ctx.baseUrl}/upload/${file.id}`, file_id: file.id };
};

export const completeUploadExternal: ApiHandler = (args, ctx) => {
  const decoded = decodeJsonField<{ id?: unknown; title?: unknown }[]>(args.files);
  if (!decoded.ok || !Array.isArray(decoded.value) || decoded.value.length === 0) return fail('invalid_arguments');
  const files = [];
  for (const f of decoded.value) {
    const file = typeof f.id === 'string' ? ctx.files.get(f.id) : undefined;
    // Never uploaded (no bytes), or already completed: Slack does not find it.
    if (!file || !file.bytes || file.shared) return fail('file_not_found');
    if (typeof f.title === 'string' && f.title) file.title = f.title;
    files.push(file);
  }
  const channelId = str(args.channel_id);
  if (!channelId) return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) }; // stays private
  const channel = ctx.store.findChannel(channelId);
  if (!channel) return fail('channel_not_found');
  const threadTs = str(args.thread_ts) || undefined;
  if (threadTs && !ctx.store.messages(channel.id).some((m) => m.ts === threadTs)) return fail('invalid_arguments', { detail: 'thread_ts is not a message in this channel' });
  const msg = ctx.store.addMessage({
    channel: channel.id, text: str(args.initial_comment) ?? '', thread_ts: threadTs, upload: true,
    files: files.map((f) => fileObject(f, ctx.baseUrl)),
    user: ctx.bot.userId, bot_id: ctx.bot.botId, app_id: ctx.bot.appId, team: ctx.team.id,
  });
  for (const f of files) f.shared = { channel: channel.id, thread_ts: threadTs, ts: msg.ts };
  return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
};
