// POST /webhooks/sentry: raw bytes (≤ 1 MB) → signature → JSON → resource → inbox, then 200.
// Transport only: no Slack call here; the relay delivers from the inbox. Sentry times out at
// 1 s and retries 5xx (not 4xx), so Redis trouble answers 503 and bad payloads 400.
import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.js';
import { RedisAlertInbox } from '../inbox.js';
import type { IngestObserver } from '../ingest-outcome.js';
import type { AlertInbox } from '../types.js';
import { SentryInstallations } from './installations.js';
import { parseSentryWebhook, type SentryInstallation } from './parse.js';
import { readRawBody } from './raw-body.js';
import { verifySentrySignature } from './verify.js';

export const SENTRY_WEBHOOK_PATH = '/webhooks/sentry';
export const SENTRY_BODY_LIMIT = 1024 * 1024;

export interface SentryRouteDeps {
  /** SENTRY_CLIENT_SECRET; unset → every request is answered 503. */
  secret: string | undefined;
  inbox: AlertInbox;
  /** Where `installation` webhooks are recorded. Default: SentryInstallations on the inbox's Redis and prefix. */
  installations?: { record(i: SentryInstallation): Promise<void> };
  log: Logger;
  /** Requests refused before the inbox (what the inbox accepts is counted there). */
  onIngest?: IngestObserver;
  now?: () => number;
}

function reply(res: ServerResponse, status: number, body: unknown, close = false): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // Closing stops the rest of an oversized body from being read.
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sentryWebhookRoute(deps: SentryRouteDeps): CustomRoute {
  const { secret, inbox, log } = deps;
  const found = deps.installations ?? (inbox instanceof RedisAlertInbox ? new SentryInstallations(inbox.redis, inbox.prefix) : undefined);
  if (!found) throw new Error('sentryWebhookRoute: pass `installations` when the inbox is not a RedisAlertInbox');
  const installations = found;
  const now = deps.now ?? Date.now;
  const refused = (outcome: 'unconfigured' | 'too_large' | 'unauthorized' | 'invalid') => deps.onIngest?.('sentry', outcome, 1);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = header(req, 'request-id');
    if (!secret) {
      refused('unconfigured');
      return reply(res, 503, { ok: false, error: 'sentry webhooks not configured' });
    }
    const body = await readRawBody(req, SENTRY_BODY_LIMIT);
    if (!body.ok) {
      log.warn({ requestId, error: body.error }, 'sentry webhook: body refused');
      if (body.error !== 'too-large') return void res.destroy();
      refused('too_large');
      reply(res, 413, { ok: false, error: `body over ${SENTRY_BODY_LIMIT} bytes` }, true);
      return;
    }
    if (!verifySentrySignature(secret, body.raw, req.headers['sentry-hook-signature'])) {
      log.warn({ requestId }, 'sentry webhook: bad signature');
      refused('unauthorized');
      return reply(res, 401, { ok: false, error: 'invalid signature' });
    }
    const resource = header(req, 'sentry-hook-resource') ?? '';
    let json: unknown;
    try {
      json = JSON.parse(body.raw.toString('utf8'));
    } catch {
      log.warn({ requestId, resource }, 'sentry webhook: body is not JSON');
      refused('invalid');
      return reply(res, 400, { ok: false, error: 'body is not valid JSON' });
    }
    const parsed = parseSentryWebhook({ resource, raw: body.raw, body: json, receivedAt: now() });
    switch (parsed.kind) {
      case 'invalid':
        log.warn({ requestId, resource, reason: parsed.reason }, 'sentry webhook: payload refused');
        refused('invalid');
        return reply(res, 400, { ok: false, error: parsed.reason });
      case 'ignored':
        log.debug({ requestId, resource, reason: parsed.reason }, 'sentry webhook: ignored');
        return reply(res, 200, { ok: true, accepted: 0, duplicate: 0, ignored: parsed.reason });
      case 'installation':
        await installations.record(parsed.installation);
        log.info({ requestId, installation: parsed.installation.uuid, org: parsed.installation.org, action: parsed.installation.action }, 'sentry installation recorded');
        return reply(res, 200, { ok: true, accepted: 0, duplicate: 0 });
    }
    let accepted = 0;
    for (const event of parsed.events) if (await inbox.accept(event)) accepted++;
    const duplicate = parsed.events.length - accepted;
    if (duplicate) log.info({ requestId, resource, duplicate }, 'sentry webhook: retry of a delivered body');
    reply(res, 200, { ok: true, accepted, duplicate });
  }

  return {
    path: SENTRY_WEBHOOK_PATH,
    method: ['POST'],
    handler: (req, res) => {
      handle(req, res).catch((err: unknown) => {
        // Redis unreachable or the like: 503 makes Sentry retry later.
        log.error({ err, requestId: header(req, 'request-id') }, 'sentry webhook: not stored');
        if (!res.headersSent) reply(res, 503, { ok: false, error: 'could not store the alert, retry' });
        else res.destroy();
      });
    },
  };
}
