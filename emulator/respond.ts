// What happens to a message sent back through a response_url or as a slash command's ack body.
import type { EmulatorContext } from './context.js';
import type { ResponseTarget } from './grants.js';
import { str, truthy } from './http-util.js';
import { messageContent } from './message-content.js';
import type { Json } from './types.js';

export type RespondOutcome = { ok: true; action: string } | { ok: false; body: Json };

/**
 * Ephemeral to the acting user by default; `in_channel` posts for everyone; `replace_original` and
 * `delete_original` act on the message the interaction came from (a channel message or an ephemeral).
 */
export function applyResponse(ctx: EmulatorContext, target: ResponseTarget, message: Json, source: string): RespondOutcome {
  const { store } = ctx;
  const original = target.original;
  if (truthy(message.delete_original)) {
    if (original?.ephemeral) {
      const eph = store.findEphemeral(target.user, target.channel, original.ts);
      if (eph) store.removeEphemeral(eph);
    } else if (original) {
      store.deleteMessage(target.channel, original.ts);
    }
    return { ok: true, action: 'deleted' };
  }
  const content = messageContent(message, source, store, { longText: 'error' });
  if (!content.ok) return { ok: false, body: content.body };
  if (truthy(message.replace_original) && original) {
    const stored = original.ephemeral
      ? store.findEphemeral(target.user, target.channel, original.ts)
      : store.findMessage(target.channel, original.ts);
    if (!stored) return { ok: false, body: { ok: false, error: 'message_not_found' } };
    stored.text = content.text;
    stored.blocks = content.blocks;
    store.changed();
    return { ok: true, action: 'replaced' };
  }
  const threadTs = str(message.thread_ts) || target.threadTs;
  if (message.response_type === 'in_channel') {
    store.addMessage({
      channel: target.channel, text: content.text, blocks: content.blocks, thread_ts: threadTs,
      subtype: 'bot_message', user: ctx.bot.userId, bot_id: ctx.bot.botId, app_id: ctx.bot.appId, team: ctx.team.id,
    });
    return { ok: true, action: 'posted' };
  }
  store.addEphemeral({
    channel: target.channel, user: target.user, text: content.text, blocks: content.blocks,
    thread_ts: threadTs, from: 'bot',
  });
  return { ok: true, action: 'ephemeral' };
}
