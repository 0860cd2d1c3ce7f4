// Maps engine errors to what the user reads. Unknown errors say nothing about internals.
import { InvalidRunbookError, PermissionDeniedError, PreconditionFailedError } from '../../errors.js';
import { isRedisUnavailable } from '../../lib/redis-errors.js';
import { cut, esc, LIMITS, md, mdJoin, section, trustStored, type Mrkdwn, type SlackMessage } from './kit.js';

/** `button`: the error came from clicking a button (a precondition failure means it is stale). */
export type ErrorOrigin = 'command' | 'button';

/**
 * Engine messages are tzero's own sentences, answered only to the person who asked (ephemeral),
 * but they quote what was typed: escaped, with only user mentions and channel links kept live.
 */
function engineText(message: string): Mrkdwn {
  const escaped = esc(cut(message, 1500)).text.replace(/&lt;([@#][UWCG][A-Z0-9]+)&gt;/g, '<$1>');
  return trustStored(escaped);
}

export function errorText(err: unknown, origin: ErrorOrigin): string {
  return errorMrkdwn(err, origin).text;
}

function errorMrkdwn(err: unknown, origin: ErrorOrigin): Mrkdwn {
  if (err instanceof PermissionDeniedError) return md`:no_entry: You can't do that: ${engineText(err.message)}`;
  if (err instanceof PreconditionFailedError) {
    if (/out of date/i.test(err.message)) return md`:hourglass: ${engineText(err.message)}`;
    return origin === 'button'
      ? md`:hourglass: This button is out of date: ${engineText(err.message)}`
      : md`:information_source: ${engineText(err.message)}`;
  }
  if (err instanceof InvalidRunbookError) {
    const problems = err.problems.slice(0, 30).map((p) => md`• ${cut(p, 300)}`);
    if (err.problems.length > 30) problems.push(md`_… ${err.problems.length - 30} more_`);
    return mdJoin([md`:warning: ${engineText(err.message)}`, ...problems]);
  }
  if (isRedisUnavailable(err)) {
    // The edge's Redis calls fail fast and are never replayed: what was asked did not happen.
    return origin === 'button' ? md`:warning: Redis is unreachable; nothing was done. Try again in a moment.` : md`:warning: Redis is unreachable; nothing was started. Try again in a moment.`;
  }
  return md`:boom: Something went wrong on our side; it has been logged. Try again, or check the run card.`;
}

export function errorReply(err: unknown, origin: ErrorOrigin = 'command'): SlackMessage {
  const text = errorMrkdwn(err, origin);
  return { text: cut(text.text, LIMITS.fallbackText), blocks: [section(text)] };
}

/** Engine errors are expected answers; anything else is a bug worth an error log. */
export function isExpected(err: unknown): boolean {
  return err instanceof PermissionDeniedError || err instanceof PreconditionFailedError || err instanceof InvalidRunbookError || isRedisUnavailable(err);
}
