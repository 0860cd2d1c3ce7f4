// A verified Sentry webhook (resource header + parsed body) → AlertEvents, an installation to
// record, a resource we ignore, or the reason it is unusable (answered 400).
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AlertEvent } from '../types.js';
import { eventAlertToEvent } from './event-alert.js';
import { issueToEvent } from './issue.js';
import type { MapContext } from './map-context.js';
import { metricAlertToEvent } from './metric-alert.js';
import { Actor, Envelope, EventAlertData, InstallationData, IssueData, MetricAlertData } from './schema.js';

export interface SentryInstallation {
  uuid: string;
  org: string;
  /** `created` or `deleted`. */
  action: string;
  status?: string;
}

export type SentryParseResult =
  | { kind: 'alerts'; events: AlertEvent[] }
  | { kind: 'installation'; installation: SentryInstallation }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

export interface SentryWebhook {
  /** `Sentry-Hook-Resource`. */
  resource: string;
  /** The exact bytes received (the dedup id hashes them: a retry has the same body). */
  raw: Buffer;
  /** `JSON.parse` of raw. */
  body: unknown;
  receivedAt: number;
}

/** Same resource and body → same id, whatever the Request-ID. */
export function sentryEventId(resource: string, raw: Buffer): string {
  // Same bytes as hashing resource + "\n" + raw, without copying the body into a new buffer.
  return `sentry-${createHash('sha256').update(`${resource}\n`).update(raw).digest('hex').slice(0, 40)}`;
}

function reasonOf(where: string, error: z.ZodError, base: string[]): string {
  const issue = error.issues[0]!;
  const path = [...base, ...issue.path.map(String)].join('.');
  const what = 'input' in issue && issue.input === undefined ? 'is missing' : issue.message;
  return `${where}: ${path || 'body'} ${what}`;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string, base: string[]): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: reasonOf(where, r.error, base) };
}

export function parseSentryWebhook(hook: SentryWebhook): SentryParseResult {
  const { resource } = hook;
  const handled = ['event_alert', 'metric_alert', 'issue', 'installation'];
  if (!handled.includes(resource)) return { kind: 'ignored', reason: `resource ${resource || '(none)'} is not an alert` };
  const env = parseWith(Envelope, hook.body, resource, []);
  if (!env.ok) return { kind: 'invalid', reason: env.reason };
  const { action, data } = env.value;
  const actor = Actor.parse(env.value.actor);
  const ctx: MapContext = { id: sentryEventId(resource, hook.raw), action, receivedAt: hook.receivedAt, ...(actor?.name ? { actor: actor.name } : {}) };
  const one = (e: AlertEvent | undefined): SentryParseResult =>
    e ? { kind: 'alerts', events: [e] } : { kind: 'ignored', reason: `${resource}: action ${action} is not an alert` };

  switch (resource) {
    case 'event_alert': {
      const d = parseWith(EventAlertData, data, resource, ['data']);
      return d.ok ? one(eventAlertToEvent(d.value, ctx)) : { kind: 'invalid', reason: d.reason };
    }
    case 'metric_alert': {
      const d = parseWith(MetricAlertData, data, resource, ['data']);
      return d.ok ? one(metricAlertToEvent(d.value, ctx)) : { kind: 'invalid', reason: d.reason };
    }
    case 'issue': {
      const d = parseWith(IssueData, data, resource, ['data']);
      return d.ok ? one(issueToEvent(d.value, ctx)) : { kind: 'invalid', reason: d.reason };
    }
    default: {
      const d = parseWith(InstallationData, data, resource, ['data']);
      if (!d.ok) return { kind: 'invalid', reason: d.reason };
      const i = d.value.installation;
      return { kind: 'installation', installation: { uuid: i.uuid, org: i.organization.slug, action, ...(i.status ? { status: i.status } : {}) } };
    }
  }
}
