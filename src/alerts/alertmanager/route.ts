// POST /webhooks/alertmanager: Alertmanager's webhook_config or Grafana's webhook contact point.
// Bearer token (constant time) → raw bytes (≤ 1 MB) → JSON → alerts → inbox, then 200; as the
// Sentry route: no Slack call here, Redis trouble answers 503 (Alertmanager retries 5xx only),
// a payload we cannot use 400, a retried notification is accepted once.
import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.js';
import { bearerMatches } from '../bearer.js';
import type { IngestObserver } from '../ingest-outcome.js';
import { readRawBody } from '../sentry/raw-body.js';
import type { AlertInbox } from '../types.js';
import { header, reply } from '../webhook-http.js';
import { mapNotification } from './map.js';
import { WebhookPayload } from './schema.js';

export const ALERTMANAGER_WEBHOOK_PATH = '/webhooks/alertmanager';
export const ALERTMANAGER_BODY_LIMIT = 1024 * 1024;

export interface AlertmanagerRouteDeps {
  /** ALERTMANAGER_TOKEN; unset → every request is answered 503. */
  token: string | undefined;
  inbox: AlertInbox;
  log: Logger;
  /** Requests refused before the inbox (what the inbox accepts is counted there). */
  onIngest?: IngestObserver;
  now?: () => number;
}

export function alertmanagerWebhookRoute(deps: AlertmanagerRouteDeps): CustomRoute {
  const { token, inbox, log } = deps;
  const now = deps.now ?? Date.now;
  const count: IngestObserver = deps.onIngest ?? (() => undefined);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const agent = header(req, 'user-agent');
    if (!token) {
      count('alertmanager', 'unconfigured', 1);
      return reply(res, 503, { ok: false, error: 'alertmanager webhooks not configured' });
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      log.warn({ agent, hasAuthorization: req.headers.authorization !== undefined }, 'alertmanager webhook: bad token');
      count('alertmanager', 'unauthorized', 1);
      // The body is not read: close so an unauthenticated sender cannot keep the socket busy.
      return reply(res, 401, { ok: false, error: 'invalid bearer token' }, { 'www-authenticate': 'Bearer', connection: 'close' });
    }
    const body = await readRawBody(req, ALERTMANAGER_BODY_LIMIT);
    if (!body.ok) {
      log.warn({ agent, error: body.error }, 'alertmanager webhook: body refused');
      if (body.error !== 'too-large') return void res.destroy(); // the sender went away
      count('alertmanager', 'too_large', 1);
      reply(res, 413, { ok: false, error: `body over ${ALERTMANAGER_BODY_LIMIT} bytes` }, { connection: 'close' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.raw.toString('utf8'));
    } catch {
      log.warn({ agent }, 'alertmanager webhook: body is not JSON');
      count('alertmanager', 'invalid', 1);
      return reply(res, 400, { ok: false, error: 'body is not valid JSON' });
    }
    const parsed = WebhookPayload.safeParse(json, { reportInput: true });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.map(String).join('.') || 'body';
      const reason = `${where} ${'input' in issue && issue.input === undefined ? 'is missing' : issue.message}`;
      log.warn({ agent, reason }, 'alertmanager webhook: payload refused');
      count('alertmanager', 'invalid', 1);
      return reply(res, 400, { ok: false, error: reason });
    }
    const { events, truncated, sender } = mapNotification(parsed.data, now());
    // One connection, commands in call order: the stream keeps the payload's order.
    const results = await Promise.all(events.map((e) => inbox.accept(e)));
    const accepted = results.filter(Boolean).length;
    const duplicate = events.length - accepted;
    if (truncated) log.info({ sender, truncated, listed: events.length }, 'alertmanager webhook: notification truncated by max_alerts');
    reply(res, 200, { ok: true, accepted, duplicate, truncated });
  }

  return {
    path: ALERTMANAGER_WEBHOOK_PATH,
    method: ['POST'],
    handler: (req, res) => {
      handle(req, res).catch((err: unknown) => {
        log.error({ err }, 'alertmanager webhook: not stored');
        if (!res.headersSent) reply(res, 503, { ok: false, error: 'could not store the alerts, retry' });
        else res.destroy();
      });
    },
  };
}
