// Which alerts fire which rollback_if trigger (pure).
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/types.js';
import { matchTrigger } from '../../src/engine/watch.js';
import { Watch } from '../../src/runbooks/schema.js';

const w = Watch.parse({
  for: '2h',
  rollback_if: [
    { health_down: { monitor: 'site', for: '10m' } },
    { sentry_metric_alert: { rule: 'Error rate', level: 'critical' } },
    { queue_above: { monitor: 'failed-jobs', value: 20 } },
  ],
});
const now = Date.parse('2026-05-05T13:30:00Z');
const base = (over: Partial<AlertEvent>): AlertEvent => ({ id: 'x', source: 'health', fingerprint: 'f', group: 'g', status: 'firing', severity: 'critical', title: 't', details: [], at: now, ...over });

describe('matchTrigger', () => {
  it('health_down waits for `for` and then fires with the downtime', () => {
    expect(matchTrigger(w, 0, base({ monitor: 'site', downSince: now - 60_000 }), now)).toEqual({ fire: false, checkAt: now - 60_000 + 600_000, since: now - 60_000 });
    expect(matchTrigger(w, 0, base({ monitor: 'site', downSince: now - 660_000 }), now)).toMatchObject({ fire: true, reason: expect.stringMatching(/site has been down for 11m/) });
    expect(matchTrigger(w, 0, base({ monitor: 'other' }), now)).toBeNull();
    expect(matchTrigger(w, 0, base({ monitor: 'site', status: 'resolved' }), now)).toBeNull();
  });
  it('sentry_metric_alert matches the rule name and level', () => {
    const e = base({ source: 'sentry', rule: 'Error rate', level: 'critical', fingerprint: 'sentry:metric:7' });
    expect(matchTrigger(w, 1, e, now)).toMatchObject({ fire: true, key: '1:sentry:metric:7' });
    expect(matchTrigger(w, 1, { ...e, level: 'warning' }, now)).toBeNull();
    expect(matchTrigger(w, 1, { ...e, rule: 'Latency' }, now)).toBeNull();
  });
  it('queue_above fires strictly above the value', () => {
    expect(matchTrigger(w, 2, base({ source: 'queue', monitor: 'failed-jobs', value: 21 }), now)).toMatchObject({ fire: true, reason: 'failed-jobs is at 21, above 20.' });
    expect(matchTrigger(w, 2, base({ source: 'queue', monitor: 'failed-jobs', value: 20 }), now)).toBeNull();
  });
});
