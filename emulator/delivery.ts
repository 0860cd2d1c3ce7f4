// Sends a signed request to the bot the way Slack does, and reads its ack.
import type { EmulatorContext } from './context.js';
import { signedFormHeaders } from './signing.js';
import type { EnvelopeType } from './socket-mode.js';
import type { Json } from './types.js';

export class ControlError extends Error {
  constructor(readonly status: number, readonly code: string, message?: string) {
    super(message ?? code);
  }
}

export interface DeliveryResult {
  /** HTTP status from the bot, or 0 when it never answered. */
  status: number;
  body: string;
  contentType: string;
  /** What the user would see Slack complain about, when the delivery did not succeed. */
  failure?: 'operation_timeout' | 'dispatch_failed';
}

export async function deliver(ctx: EmulatorContext, rawBody: string): Promise<DeliveryResult> {
  if (!ctx.botUrl) throw new ControlError(409, 'bot_url_not_set', 'no botUrl: call setBotUrl() or set BOT_URL');
  try {
    const res = await fetch(ctx.botUrl, {
      method: 'POST',
      headers: signedFormHeaders(ctx.signingSecret, rawBody),
      body: rawBody,
      signal: AbortSignal.timeout(ctx.ackTimeoutMs),
    });
    const body = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    return { status: res.status, body, contentType, failure: res.ok ? undefined : 'dispatch_failed' };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { status: 0, body: '', contentType: '', failure: timedOut ? 'operation_timeout' : 'dispatch_failed' };
  }
}

/**
 * One delivery to the app: an envelope over Socket Mode when a client is connected (or the
 * emulator is in socket mode), else a signed form POST. `payload` is what the envelope carries:
 * the command's fields, or the interaction payload (the HTTP form's `payload` field).
 */
export async function dispatch(ctx: EmulatorContext, type: EnvelopeType, payload: Json, acceptsResponsePayload: boolean): Promise<DeliveryResult> {
  if (ctx.socketMode || ctx.socket.connected) return ctx.socket.deliver(type, payload, acceptsResponsePayload, ctx.ackTimeoutMs);
  const rawBody = type === 'slash_commands' ? formBody(payload as Record<string, string>) : payloadBody(payload);
  return deliver(ctx, rawBody);
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function payloadBody(payload: Json): string {
  return formBody({ payload: JSON.stringify(payload) });
}

/** An ack body as a message/response object: JSON when it parses as an object, else plain text. */
export function parseAck(result: DeliveryResult): Json | undefined {
  if (result.body.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(result.body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // Plain-text ack: Bolt's ack("text").
  }
  return { text: result.body };
}
