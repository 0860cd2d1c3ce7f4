// The contract every Web API method implements.
import type { EmulatorContext } from '../context.js';
import type { Json, StoredMessage } from '../types.js';

export type ApiHandler = (args: Record<string, unknown>, ctx: EmulatorContext) => Json;

export function fail(error: string, extra: Json = {}): Json {
  return { ok: false, error, ...extra };
}

/** A stored message as the Web API returns it (Slack's message objects carry no channel field). */
export function apiMessage(msg: StoredMessage): Json {
  const { channel: _channel, ...rest } = msg;
  return structuredClone(rest) as Json;
}
