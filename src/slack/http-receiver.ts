// The HTTP receiver (POST /slack/events plus the custom routes). Bolt refuses signed requests
// older than 5 minutes but accepts any timestamp in the future, so a captured request signed
// with a future date would stay replayable until that date: those are refused here, the same way.
import { HTTPReceiver, LogLevel, type CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Slack's window: a request may be at most this far from our clock, either way. */
export const MAX_SKEW_SEC = 5 * 60;

export function createHttpReceiver(signingSecret: string, routes: CustomRoute[], log: Logger, logLevel = LogLevel.WARN): HTTPReceiver {
  const receiver = new HTTPReceiver({ signingSecret, customRoutes: routes, logLevel });
  const inner = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (req.method === 'POST' && Number.isFinite(ts) && ts - Math.floor(Date.now() / 1000) > MAX_SKEW_SEC) {
      // No run to audit in: the log is the record of this refusal.
      log.warn({ path: req.url, timestamp: ts, aheadSec: ts - Math.floor(Date.now() / 1000) }, 'refused a signed request dated in the future');
      req.resume();
      res.writeHead(401).end();
      return;
    }
    inner(req, res);
  };
  return receiver;
}
