// Each Sentry resource → AlertEvent(s), leniently, or the reason it cannot be used.
import { describe, expect, it } from 'vitest';
import { parseSentryWebhook, sentryEventId, type SentryParseResult } from '../../src/alerts/sentry/parse.js';
import type { AlertEvent } from '../../src/alerts/types.js';
import { envelope, eventAlert, installation, issue, metricAlert, sentryWire } from './sentry-fixtures.js';

const NOW = 1_760_000_000_000;

function parse(resource: string, payload: unknown): SentryParseResult {
  const wire = sentryWire(payload);
  return parseSentryWebhook({ resource, raw: Buffer.from(wire), body: JSON.parse(wire), receivedAt: NOW });
}

function only(r: SentryParseResult): AlertEvent {
  if (r.kind !== 'alerts') throw new Error(`expected alerts, got ${JSON.stringify(r)}`);
  expect(r.events).toHaveLength(1);
  return r.events[0]!;
}

describe('parseSentryWebhook', () => {
  it('event_alert: one event per fired issue, grouped by project and rule', () => {
    const e = only(parse('event_alert', eventAlert()));
    expect(e).toMatchObject({
      source: 'sentry', fingerprint: 'sentry:issue:1117540176', group: 'sentry:front-end:rule:Very Important Alert Rule!',
      status: 'firing', severity: 'critical', title: 'ReferenceError: heck is not defined', at: 1566248777677, count: 1,
      url: 'https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/',
      rule: 'Very Important Alert Rule!', level: 'error',
    });
    expect(e.details).toEqual(['project front-end', 'environment production', 'level error', 'culprit ?(<anonymous>)', 'rule Very Important Alert Rule!']);
    expect(e.id).toMatch(/^sentry-[0-9a-f]{40}$/);
  });

  it('event_alert: project id when the URL names no project; level maps to severity', () => {
    const p = eventAlert();
    p.data.event.url = 'https://sentry.io/elsewhere/';
    Object.assign(p.data.event, { level: 'warning' });
    const e = only(parse('event_alert', p));
    expect(e.group).toBe('sentry:1:rule:Very Important Alert Rule!');
    expect(e.severity).toBe('warning');
    Object.assign(p.data.event, { level: 'info' });
    expect(only(parse('event_alert', p)).severity).toBe('info');
  });

  it('metric_alert: resolved, and critical / warning firing, with rule and level for rollback triggers', () => {
    const r = only(parse('metric_alert', metricAlert()));
    expect(r).toMatchObject({ fingerprint: 'sentry:metric:7', group: 'sentry:metric:7', status: 'resolved', title: 'Resolved: Too many errors', rule: 'Too many errors', level: 'resolved', url: 'https://sentry.io/organizations/baz/alerts/1/', at: NOW });
    // The literal backslash-n in description_text splits into lines.
    expect(r.details).toEqual(['1000 events in the last 10 minutes', 'Filter: level:error', 'projects bar']);
    expect(only(parse('metric_alert', metricAlert('critical', 'Critical: Too many errors')))).toMatchObject({ status: 'firing', severity: 'critical', level: 'critical' });
    expect(only(parse('metric_alert', metricAlert('warning', 'Warning: Too many errors')))).toMatchObject({ status: 'firing', severity: 'warning', level: 'warning' });
  });

  it('issue: created / unresolved fire, resolved / ignored resolve, assigned is info', () => {
    const c = only(parse('issue', issue('created')));
    expect(c).toMatchObject({ fingerprint: 'sentry:issue:1170820242', group: 'sentry:front-end:issues', status: 'firing', severity: 'critical', title: 'ReferenceError: blooopy is not defined', url: 'https://sentry.io/organizations/test-org/issues/1170820242/' });
    expect(c.details).toEqual(['project front-end', 'level error', 'culprit ?(runner)', 'events 1', 'users 1']);
    expect(only(parse('issue', issue('unresolved'))).status).toBe('firing');
    const res = only(parse('issue', issue('resolved', { status: 'resolved' }, { type: 'user', id: 2, name: 'Jane' })));
    expect(res).toMatchObject({ status: 'resolved' });
    expect(res.details).toContain('resolved by Jane');
    expect(only(parse('issue', issue('ignored'))).status).toBe('resolved');
    const a = only(parse('issue', issue('assigned', { assignedTo: { type: 'user', id: '3', name: 'Ann Lee', email: 'ann@example.com' } })));
    expect(a).toMatchObject({ status: 'firing', severity: 'info' });
    expect(a.details).toContain('assigned to Ann Lee');
  });

  it('issue: url falls back to permalink, then url', () => {
    expect(only(parse('issue', issue('created', { web_url: null, permalink: 'https://p/1' }))).url).toBe('https://p/1');
    expect(only(parse('issue', issue('created', { web_url: undefined, url: 'https://u/1' }))).url).toBe('https://u/1');
  });

  it('keeps non-ASCII text exactly', () => {
    expect(only(parse('issue', issue('created', { title: 'Ошибка: naïve café 🚨' }))).title).toBe('Ошибка: naïve café 🚨');
  });

  it('is lenient: unknown fields, extra resources and actions are fine', () => {
    const p = issue('created', { brandNew: { nested: [1, 2] } });
    expect(only(parse('issue', { ...p, future: true })).title).toBe('ReferenceError: blooopy is not defined');
    for (const resource of ['error', 'comment', 'seer', 'size_analysis', '']) expect(parse(resource, issue()).kind).toBe('ignored');
    expect(parse('issue', issue('archived_forever'))).toEqual({ kind: 'ignored', reason: 'issue: action archived_forever is not an alert' });
  });

  it('says what is missing', () => {
    const m = metricAlert('critical');
    delete (m.data.metric_alert.alert_rule as Partial<typeof m.data.metric_alert.alert_rule>).name;
    expect(parse('metric_alert', m)).toEqual({ kind: 'invalid', reason: 'metric_alert: data.metric_alert.alert_rule.name is missing' });
    const e = eventAlert();
    delete (e.data as Partial<typeof e.data>).triggered_rule;
    expect(parse('event_alert', e)).toEqual({ kind: 'invalid', reason: 'event_alert: data.triggered_rule is missing' });
    expect(parse('issue', envelope('created', { issue: { id: 5, title: 'x' } }))).toEqual({ kind: 'invalid', reason: 'issue: data.issue.project is missing' });
    expect(parse('issue', { data: {} })).toEqual({ kind: 'invalid', reason: 'issue: action is missing' });
    expect(parse('issue', [1])).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/^issue: body /) });
    const wrong = parse('issue', issue('created', { title: 42 }));
    expect(wrong).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/^issue: data\.issue\.title .*string/) });
  });

  it('installation: the uuid and org to record, no alert', () => {
    expect(parse('installation', installation())).toEqual({ kind: 'installation', installation: { uuid: 'a8e5d37a-696c-4c54-adb5-b3f28d64c7de', org: 'test-org', action: 'created', status: 'pending' } });
  });

  it('the event id depends on the resource and the exact bytes only', () => {
    const raw = Buffer.from(sentryWire(issue()));
    expect(sentryEventId('issue', raw)).toBe(sentryEventId('issue', Buffer.from(raw)));
    expect(sentryEventId('issue', raw)).not.toBe(sentryEventId('event_alert', raw));
    expect(sentryEventId('issue', raw)).not.toBe(sentryEventId('issue', Buffer.from(sentryWire(issue('resolved')))));
  });
});
