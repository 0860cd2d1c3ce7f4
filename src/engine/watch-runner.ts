// Jobs of the rollback window: closing it all clear, coarse card refreshes, and the delayed
// check behind `health_down: { for: 10m }`.
import { md } from '../lib/mrkdwn.js';
import { formatDuration } from '../runbooks/duration.js';
import { advance, beginRollback, type FollowUp } from './flow.js';
import { applyFollowUp } from './step-outcome.js';
import { moveRun } from './state-machine.js';
import type { Runtime } from './runtime.js';
import { WATCH_TICK_MS } from './watch.js';
import type { JobResult } from './job-result.js';

export async function runWatchEnd(rt: Runtime, runId: string): Promise<JobResult> {
  const now = rt.now();
  let follow: FollowUp = { jobs: [], finished: false };
  let closed = false;
  const run = await rt.store.update(runId, (r) => {
    closed = false;
    if (r.status !== 'watching' || !r.watch || r.watch.until > now) return false;
    const afterWindow = r.steps.some((s) => s.afterWindow && s.status === 'pending');
    const effects = moveRun(r, { type: 'close_watch', afterWindow }, now);
    follow = afterWindow ? advance(r, now) : { jobs: [], finished: effects.some((e) => e.kind === 'ended') };
    closed = true;
  });
  if (!closed) return {};
  const w = run.watch!;
  const proposals = w.proposals.length ? `, ${w.proposals.length} rollback proposal${w.proposals.length === 1 ? '' : 's'} dismissed` : '';
  await rt.messages.notify(run.id, `watch-closed`, md`:white_check_mark: Rollback window closed after ${formatDuration(now - w.startedAt)}, all clear (${w.alerts} alert${w.alerts === 1 ? '' : 's'} during the window${proposals}).`, { channel: run.channel, inThread: true });
  return applyFollowUp(rt, run, follow);
}

export async function runWatchTick(rt: Runtime, runId: string): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run || run.status !== 'watching' || !run.watch) return {};
  await rt.messages.changed(runId);
  const next = Math.min(run.watch.until, rt.now() + WATCH_TICK_MS);
  if (next < run.watch.until) await rt.jobs.enqueue({ kind: 'watch-tick', runId, at: next });
  return {};
}

/** `health_down.for` elapsed since the monitor went down: fire if it is still down. */
export async function runWatchCheck(rt: Runtime, runId: string, trigger: number, since: number): Promise<JobResult> {
  const run = await rt.store.get(runId);
  const t = run?.runbook.watch?.rollback_if[trigger];
  if (!run || run.status !== 'watching' || !t || !('health_down' in t) || !rt.alerts) return {};
  const downSince = await rt.alerts.firingSince(`health:${t.health_down.monitor}`);
  if (downSince === null || downSince > since) return {}; // recovered (or went down again later: its own check)
  await fireTrigger(rt, runId, `${trigger}:${since}`, `${t.health_down.monitor} has been down for ${formatDuration(rt.now() - since)} (limit ${t.health_down.for}).`, [`down since ${new Date(since).toISOString()}`]);
  return {};
}

/** A trigger fired during the window: propose a rollback (mention the lead) or start it. Once per key. */
export async function fireTrigger(rt: Runtime, runId: string, key: string, reason: string, evidence: string[]): Promise<void> {
  const now = rt.now();
  let follow: FollowUp = { jobs: [], finished: false };
  let proposal: string | undefined;
  const run = await rt.store.update(runId, (r) => {
    if (r.status !== 'watching' || !r.watch || r.watch.fired.includes(key)) return false;
    r.watch.fired.push(key);
    if (r.runbook.watch!.action === 'auto') {
      follow = beginRollback(r, 'tzero', `rollback window trigger: ${reason}`, now);
      return;
    }
    proposal = `p${r.watch.proposals.length + 1}`;
    r.watch.proposals.push({ id: proposal, at: now, reason, evidence, status: 'open' });
  });
  if (!run.watch?.fired.includes(key)) return;
  await rt.store.appendAudit(runId, { kind: 'rollback', user: 'tzero', at: now, hash: run.hash, note: `${proposal ? 'proposed' : 'started'}: ${reason}` });
  rt.log.warn({ runId, key, reason, action: proposal ? 'propose' : 'auto' }, 'rollback trigger fired');
  if (proposal) await rt.messages.proposal(runId, run.channel, proposal);
  else {
    await rt.messages.notify(runId, `auto-rollback-${key}`, md`:rotating_light: Rolling back automatically: ${reason}`, { channel: run.channel, inThread: true });
    await rt.messages.rollback(runId, run.channel);
  }
  await applyFollowUp(rt, run, follow);
}
