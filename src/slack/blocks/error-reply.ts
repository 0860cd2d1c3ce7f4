// Maps engine errors to what the user reads. Unknown errors say nothing about internals.
import { InvalidRunbookError, PermissionDeniedError, PreconditionFailedError } from '../../errors.js';
import { isRedisUnavailable } from '../../lib/redis-errors.js';
import { cut, esc, LIMITS, section, type SlackMessage } from './kit.js';

/** `button`: the error came from clicking a button (a precondition failure means it is stale). */
export type ErrorOrigin = 'command' | 'button';

/** Engine messages are our own mrkdwn (they mention users); only broadcasts are defused. */
function engineText(message: string): string {
  return cut(message.replace(/<!/g, '&lt;!'), 1500);
}

export function errorText(err: unknown, origin: ErrorOrigin): string {
  if (err instanceof PermissionDeniedError) return `:no_entry: You can't do that: ${engineText(err.message)}`;
  if (err instanceof PreconditionFailedError) {
    if (/out of date/i.test(err.message)) return `:hourglass: ${engineText(err.message)}`;
    return origin === 'button'
      ? `:hourglass: This button is out of date: ${engineText(err.message)}`
      : `:information_source: ${engineText(err.message)}`;
  }
  if (err instanceof InvalidRunbookError) {
    const problems = err.problems.slice(0, 30).map((p) => `• ${esc(cut(p, 300))}`);
    if (err.problems.length > 30) problems.push(`_… ${err.problems.length - 30} more_`);
    return [`:warning: ${engineText(err.message)}`, ...problems].join('\n');
  }
  if (isRedisUnavailable(err)) {
    // The edge's Redis calls fail fast and are never replayed: what was asked did not happen.
    return origin === 'button' ? ':warning: Redis is unreachable; nothing was done. Try again in a moment.' : ':warning: Redis is unreachable; nothing was started. Try again in a moment.';
  }
  return ':boom: Something went wrong on our side; it has been logged. Try again, or check the run card.';
}

export function errorReply(err: unknown, origin: ErrorOrigin = 'command'): SlackMessage {
  const text = errorText(err, origin);
  return { text: cut(text, LIMITS.fallbackText), blocks: [section(text)] };
}

/** Engine errors are expected answers; anything else is a bug worth an error log. */
export function isExpected(err: unknown): boolean {
  return err instanceof PermissionDeniedError || err instanceof PreconditionFailedError || err instanceof InvalidRunbookError || isRedisUnavailable(err);
}
