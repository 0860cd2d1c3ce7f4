// POST /api/<method>: auth, rate limits, dispatch, and the call log tests assert on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.js';
import { parseArgs, readBody, sendJson, str } from '../http-util.js';
import * as chat from './chat.js';
import type { ApiHandler } from './handler.js';
import * as files from './files.js';
import * as info from './info.js';
import * as views from './views.js';

export const METHODS: Record<string, ApiHandler> = {
  'auth.test': info.authTest,
  'chat.postMessage': chat.postMessage,
  'chat.update': chat.update,
  'chat.postEphemeral': chat.postEphemeral,
  'chat.delete': chat.deleteMessage,
  'views.open': views.open,
  'views.push': views.push,
  'views.update': views.update,
  'conversations.info': info.conversationsInfo,
  'conversations.replies': info.conversationsReplies,
  'conversations.history': info.conversationsHistory,
  'chat.getPermalink': info.chatGetPermalink,
  'users.info': info.usersInfo,
  'files.getUploadURLExternal': files.getUploadURLExternal,
  'files.completeUploadExternal': files.completeUploadExternal,
  'apps.connections.open': (_args, ctx) => ({ ok: true, url: ctx.socket.openUrl(ctx.baseUrl) }),
};

function tokenOf(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return str(args.token);
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, ctx: EmulatorContext): Promise<void> {
  const raw = await readBody(req);
  let args: Record<string, unknown>;
  try {
    // Slack also takes arguments in the query string (GET or POST); body fields win.
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://emulator').searchParams);
    args = { ...query, ...parseArgs(req.headers['content-type'], raw) };
  } catch {
    return reply(res, ctx, method, 200, { ok: false, error: 'invalid_json' });
  }
  const handler = METHODS[method];
  // slack-api-ref marks JSON input unsupported for this method; it answers invalid_arguments.
  if (method === 'files.getUploadURLExternal' && (req.headers['content-type'] ?? '').includes('application/json')) return reply(res, ctx, method, 200, { ok: false, error: 'invalid_arguments' });
  // Slack answers unknown methods with HTTP 200 and ok:false like any other error.
  if (!handler) return reply(res, ctx, method, 200, { ok: false, error: 'unknown_method', req_method: method });
  const token = tokenOf(req, args);
  if (!token) return reply(res, ctx, method, 200, { ok: false, error: 'not_authed' });
  // apps.connections.open takes only the app-level token, every other method only the bot token.
  const isAppToken = ctx.appToken !== undefined && token === ctx.appToken;
  if (method === 'apps.connections.open') {
    if (token === ctx.botToken) return reply(res, ctx, method, 200, { ok: false, error: 'not_allowed_token_type' });
    if (!isAppToken) return reply(res, ctx, method, 200, { ok: false, error: 'invalid_auth' });
  } else if (isAppToken) {
    return reply(res, ctx, method, 200, { ok: false, error: 'not_allowed_token_type' });
  } else if (token !== ctx.botToken) {
    return reply(res, ctx, method, 200, { ok: false, error: 'invalid_auth' });
  }
  const channelRef = str(args.channel);
  const channel = channelRef ? ctx.store.findChannel(channelRef)?.id ?? channelRef : undefined;
  const decision = ctx.rateLimiter.take(method, channel);
  if (decision.limited) {
    return reply(res, ctx, method, 429, { ok: false, error: 'ratelimited' }, channel,
      { 'retry-after': String(decision.retryAfterSeconds) });
  }
  let body;
  try {
    body = handler(args, ctx);
  } catch (err) {
    return reply(res, ctx, method, 200, { ok: false, error: 'internal_error', detail: String(err) }, channel);
  }
  const fault = ctx.faults.get(method);
  if (fault && fault.dropReplies > 0) {
    // The work is done (the message exists); the answer is lost on the way back.
    if (--fault.dropReplies === 0) ctx.faults.delete(method);
    ctx.store.recordCall({ at: new Date().toISOString(), method, status: 0, ok: body.ok === true, error: 'reply_dropped', channel });
    res.destroy();
    return;
  }
  reply(res, ctx, method, 200, body, channel);
}

function reply(
  res: ServerResponse, ctx: EmulatorContext, method: string, status: number, body: Record<string, unknown>,
  channel?: string, headers: Record<string, string> = {},
): void {
  ctx.store.recordCall({
    at: new Date().toISOString(), method, status, ok: body.ok === true,
    error: typeof body.error === 'string' ? body.error : undefined, channel,
  });
  sendJson(res, status, body, headers);
}
