// Sentry webhook payloads from the reference (§6, sentry-docs examples), in Sentry's wire form:
// compact JSON, keys action/installation/data/actor in that order, every code point above 0x7E
// written as \uXXXX (simplejson ensure_ascii; astral characters as surrogate pairs).
import { randomUUID } from 'node:crypto';
import { signSentryBody } from '../../src/alerts/sentry/verify.js';

export const CLIENT_SECRET = 'test-client-secret';
const INSTALLATION = { uuid: 'a8e5d37a-696c-4c54-adb5-b3f28d64c7de' };
const SENTRY_ACTOR = { type: 'application', id: 'sentry', name: 'Sentry' };

/** Sentry's serialization of a payload. */
export function sentryWire(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function envelope<D>(action: string, data: D, actor: unknown = SENTRY_ACTOR) {
  return { action, installation: INSTALLATION, data, actor };
}

export const eventAlert = (over: { title?: string; eventId?: string; issueId?: string } = {}) => envelope('triggered', {
  event: {
    culprit: '?(<anonymous>)', datetime: '2019-08-19T21:06:17.677000Z', event_id: over.eventId ?? 'e4874d664c3540c1a32eab185f12c5ab',
    exception: { values: [{ type: 'ReferenceError', value: 'heck is not defined' }] },
    issue_url: 'https://sentry.io/api/0/issues/1117540176/', issue_id: over.issueId ?? '1117540176',
    level: 'error', location: '<anonymous>',
    metadata: { filename: '<anonymous>', type: 'ReferenceError', value: 'heck is not defined' },
    platform: 'javascript', project: 1, release: null,
    tags: [['handled', 'no'], ['level', 'error'], ['environment', 'production'], ['url', 'https://null.jsbin.com/runner']],
    timestamp: 1566248777.677, title: over.title ?? 'ReferenceError: heck is not defined', type: 'error',
    url: 'https://sentry.io/api/0/projects/test-org/front-end/events/e4874d664c3540c1a32eab185f12c5ab/',
    user: { ip_address: '162.218.85.90' }, version: '7',
    web_url: 'https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/',
  },
  triggered_rule: 'Very Important Alert Rule!',
  issue_alert: { title: 'Very Important Alert Rule!', settings: [{ name: 'channel', value: '#general' }] },
});

export const metricAlert = (action = 'resolved', title = 'Resolved: Too many errors') => envelope(action, {
  description_text: '1000 events in the last 10 minutes\\nFilter: level:error',
  description_title: title,
  metric_alert: {
    alert_rule: {
      aggregate: 'count()', created_by: null, dataset: 'events', date_created: '2020-09-13T12:26:40.000000Z', date_modified: '2020-09-13T12:26:40.000000Z',
      environment: null, id: '7', include_all_projects: false, name: 'Too many errors', organization_id: '5', projects: ['bar'], query: 'level:error',
      resolution: 1, resolve_threshold: null, status: 0, threshold_period: 1, threshold_type: 0, time_window: 10, triggers: [],
    },
    date_closed: null, date_created: '2020-09-13T12:26:40.000000Z', date_detected: '2020-09-13T12:26:40.000000Z', date_started: '2020-09-13T12:26:40.000000Z',
    id: '4', identifier: '1', organization_id: '5', projects: ['bar'], status: 2, status_method: 3, title: 'Sacred Marmot', type: 2,
  },
  web_url: 'https://sentry.io/organizations/baz/alerts/1/',
});

export const issue = (action = 'created', over: Record<string, unknown> = {}, actor?: unknown) => envelope(action, {
  issue: {
    annotations: [], assignedTo: null, count: '1', culprit: '?(runner)', firstSeen: '2019-08-19T20:58:37.391000Z', hasSeen: false, id: '1170820242',
    isBookmarked: false, isPublic: false, isSubscribed: false, lastSeen: '2019-08-19T20:58:37.391000Z', level: 'error', logger: null,
    metadata: { filename: '/runner', type: 'ReferenceError', value: 'blooopy is not defined' }, numComments: 0, permalink: null, platform: 'javascript',
    project: { id: '1', name: 'front-end', platform: '', slug: 'front-end' }, shareId: null, shortId: 'FRONT-END-9', status: 'unresolved', statusDetails: {},
    subscriptionDetails: null, substatus: 'escalating', title: 'ReferenceError: blooopy is not defined', type: 'error', userCount: 1,
    web_url: 'https://sentry.io/organizations/test-org/issues/1170820242/',
    ...over,
  },
}, actor);

export const installation = (action = 'created') => envelope(action, {
  installation: {
    status: 'pending', organization: { slug: 'test-org' }, app: { uuid: '2ebf071f-28df-4989-aca9-c37c763b278f', slug: 'webhooks-galore' },
    code: 'f3c71b491e3949b6b033ae45312a4fcb', uuid: 'a8e5d37a-696c-4c54-adb5-b3f28d64c7de',
  },
}, { id: 1, name: 'Meredith Heller', type: 'user' });

/** Headers Sentry sends with `body` (a fresh Request-ID each time, like a retry). */
export function sentryHeaders(resource: string, body: string, secret = CLIENT_SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    'request-id': randomUUID().replace(/-/g, ''),
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': signSentryBody(secret, body),
  };
}
