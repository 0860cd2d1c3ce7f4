// How listeners answer through response_url, and how they report engine errors.
import type { RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import { errorReply, isExpected, type ErrorOrigin } from './blocks/error-reply.js';
import type { SlackMessage } from './blocks/kit.js';

export async function ephemeral(respond: RespondFn, msg: SlackMessage, replaceOriginal = false): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, text: msg.text, blocks: msg.blocks });
}

/** Logs (error level only for the unexpected) and tells the user why, ephemerally. */
export async function replyError(
  respond: RespondFn, log: Logger, err: unknown, origin: ErrorOrigin, meta: Record<string, unknown>, replaceOriginal = false,
): Promise<void> {
  if (isExpected(err)) log.info({ ...meta, code: (err as { code: string }).code, reason: (err as Error).message }, 'slack request refused');
  else log.error({ ...meta, err }, 'slack request failed');
  await ephemeral(respond, errorReply(err, origin), replaceOriginal);
}

/** Runs `work`, answering its message or its error ephemerally; never throws (the ack is already sent). */
export async function answer(
  respond: RespondFn, log: Logger, origin: ErrorOrigin, meta: Record<string, unknown>,
  work: () => Promise<SlackMessage | void>, replaceOriginal = false,
): Promise<void> {
  try {
    const msg = await work();
    if (msg) await ephemeral(respond, msg, replaceOriginal);
  } catch (err) {
    try {
      await replyError(respond, log, err, origin, meta, replaceOriginal);
    } catch (respondErr) {
      log.error({ ...meta, err: respondErr }, 'slack respond failed');
    }
  }
}
