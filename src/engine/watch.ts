// The rollback window (runbook `watch`): opened after the last step, closed "all clear" when it
// runs out, and the place where alert triggers propose or start a rollback.
import type { Watch, WatchTrigger } from '../runbooks/schema.js';
import { parseDuration, formatDuration } from '../runbooks/duration.js';
import type { AlertEvent } from '../alerts/types.js';
import type { StepJob } from '../jobs/job-ids.js';
import type { Run } from './types.js';
import { moveRun } from './state-machine.js';

export const WATCH_TICK_MS = 5 * 60_000; // coarse card refreshes: well within chat.update's budget

/** Opens the window on a run whose steps all ended; returns the jobs that close and refresh it. */
export function openWatch(run: Run, now: number): StepJob[] {
  const w = run.runbook.watch!;
  const until = now + parseDuration(w.for);
  moveRun(run, { type: 'open_watch' }, now);
  run.watch = { startedAt: now, until, fired: [], proposals: [], alerts: 0 };
  return [
    { kind: 'watch-end', runId: run.id, at: until },
    { kind: 'watch-tick', runId: run.id, at: Math.min(until, now + WATCH_TICK_MS) },
  ];
}

export type TriggerMatch =
  | { fire: true; key: string; reason: string; evidence: string[] }
  | { fire: false; checkAt: number; since: number };

/** Does this alert fire trigger `i` of the runbook's watch? */
export function matchTrigger(w: Watch, i: number, e: AlertEvent, now: number): TriggerMatch | null {
  const t: WatchTrigger = w.rollback_if[i]!;
  if (e.status !== 'firing') return null;
  const evidence = [e.title, ...e.details.slice(0, 4), ...(e.url ? [e.url] : [])];
  if ('health_down' in t) {
    if (e.source !== 'health' || e.monitor !== t.health_down.monitor) return null;
    const since = e.downSince ?? e.at;
    const need = t.health_down.for ? parseDuration(t.health_down.for) : 0;
    if (now - since < need) return { fire: false, checkAt: since + need, since };
    return { fire: true, key: `${i}:${since}`, reason: `${t.health_down.monitor} has been down for ${formatDuration(now - since)}${need ? ` (limit ${t.health_down.for})` : ''}.`, evidence };
  }
  if ('sentry_metric_alert' in t) {
    const m = t.sentry_metric_alert;
    if (e.source !== 'sentry' || e.rule !== m.rule || (m.level && e.level !== m.level)) return null;
    return { fire: true, key: `${i}:${e.fingerprint}`, reason: `Sentry metric alert "${m.rule}" is ${e.level ?? 'firing'}.`, evidence };
  }
  if ('alert' in t) {
    const a = t.alert;
    const labels = e.labels ?? {};
    if (e.source !== a.source || labels.alertname !== a.alertname || !Object.entries(a.labels).every(([k, v]) => labels[k] === v)) return null;
    return { fire: true, key: `${i}:${e.fingerprint}`, reason: `Alertmanager alert "${a.alertname}" is firing.`, evidence };
  }
  const q = t.queue_above;
  if (e.monitor !== q.monitor || e.value === undefined || e.value <= q.value) return null;
  return { fire: true, key: `${i}:${e.fingerprint}`, reason: `${q.monitor} is at ${e.value}, above ${q.value}.`, evidence };
}
