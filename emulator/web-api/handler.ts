// The contract every Web API method implements.
import type { EmulatorContext } from '../context.js';
import type { Json, StoredMessage } from '../types.js';

export type ApiHandler = (args: Record<string, unknown>, ctx: EmulatorContext) => Json;

export function fail(error: string, extra: Json = {}): Json {
  return { ok: false, error, ...extra };
}

/**
 * A stored message as the Web API returns it (Slack's message objects carry no channel field).
 * Metadata is returned by chat.postMessage, and by conversations.history / .replies only when
 * asked with include_all_metadata.
 */
export function apiMessage(msg: StoredMessage, opts: { metadata?: boolean } = { metadata: true }): Json {
  const { channel: _channel, metadata, ...rest } = msg;
  return structuredClone(opts.metadata && metadata ? { ...rest, metadata } : rest) as Json;
}
