// POST /_emu/response/<id>: the response_url endpoint Bolt's respond() posts to.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { parseArgs, readBody, sendJson } from './http-util.js';
import { applyResponse } from './respond.js';

export async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string, ctx: EmulatorContext): Promise<void> {
  const raw = await readBody(req);
  let message: Record<string, unknown>;
  try {
    const args = parseArgs(req.headers['content-type'] ?? 'application/json', raw);
    // Some clients send form `payload=<json>`; accept it like Slack does.
    message = typeof args.payload === 'string' ? (JSON.parse(args.payload) as Record<string, unknown>) : args;
  } catch {
    return sendJson(res, 400, { ok: false, error: 'invalid_payload' });
  }
  // Slack's answer for a spent or expired URL is unverified; 404 makes Bolt's respond() throw, as it should.
  const target = ctx.responseUrls.use(id);
  if (!target) return sendJson(res, 404, { ok: false, error: 'expired_url' });
  const outcome = applyResponse(ctx, target, message, 'response_url');
  if (!outcome.ok) return sendJson(res, 400, outcome.body);
  sendJson(res, 200, { ok: true });
}
