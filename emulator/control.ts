// /_emu/*: the JSON control API used by tests, the demo and the web page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { ControlError } from './delivery.js';
import { readBody, sendJson } from './http-util.js';
import { runBlockAction, runCommand, type ActionInput, type CommandInput } from './interactions.js';
import { handleResponseUrl } from './response-url.js';
import { snapshot } from './snapshot.js';
import { closeView, submitView, type SubmitInput } from './view-submission.js';

type Route = (body: Record<string, unknown>, ctx: EmulatorContext) => Promise<unknown> | unknown;

const POST_ROUTES: Record<string, Route> = {
  '/_emu/command': (b, ctx) => runCommand(ctx, b as unknown as CommandInput),
  '/_emu/action': (b, ctx) => runBlockAction(ctx, b as unknown as ActionInput),
  '/_emu/view-submit': (b, ctx) => submitView(ctx, b as unknown as SubmitInput),
  '/_emu/view-close': (b, ctx) => closeView(ctx, b as unknown as { user: string; view_id: string }),
  '/_emu/faults': (b, ctx) => {
    const method = typeof b.method === 'string' ? b.method : '';
    const dropReplies = Number(b.dropReplies ?? 0);
    if (!method || !Number.isInteger(dropReplies) || dropReplies < 0) throw new ControlError(400, 'invalid_fault', 'give a method and dropReplies ≥ 0');
    if (dropReplies === 0) ctx.faults.delete(method);
    else ctx.faults.set(method, { dropReplies });
    return {};
  },
  '/_emu/reset': (_b, ctx) => {
    ctx.store.reset();
    return {};
  },
};

/** Returns false when the path is not a control route. */
export async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, ctx: EmulatorContext): Promise<boolean> {
  if (req.method === 'POST' && path.startsWith('/_emu/response/')) {
    await handleResponseUrl(req, res, path.slice('/_emu/response/'.length), ctx);
    return true;
  }
  if (req.method === 'GET' && path === '/_emu/state') {
    sendJson(res, 200, snapshot(ctx));
    return true;
  }
  const route = req.method === 'POST' ? POST_ROUTES[path] : undefined;
  if (!route) return false;
  try {
    const raw = await readBody(req);
    const body = raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    const result = await route(body, ctx);
    sendJson(res, 200, { ok: true, ...(result as object) });
  } catch (err) {
    if (err instanceof ControlError) sendJson(res, err.status, { ok: false, error: err.code, message: err.message });
    else if (err instanceof SyntaxError) sendJson(res, 400, { ok: false, error: 'invalid_json', message: err.message });
    else sendJson(res, 500, { ok: false, error: 'internal_error', message: String(err) });
  }
  return true;
}
