// Turns accepted alerts into Slack messages: silences first, then the group (one message per
// group in the alerts channel, edited as it grows or resolves), a copy in every live run's
// thread tagged with the step in progress, and the rollback window's triggers.
import { md } from '../lib/mrkdwn.js';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { formatDuration } from '../runbooks/duration.js';
import type { RunStore } from '../engine/run-store.js';
import type { Runtime } from '../engine/runtime.js';
import { matchTrigger } from '../engine/watch.js';
import { fireTrigger } from '../engine/watch-runner.js';
import type { Run } from '../engine/types.js';
import type { Outbox } from '../slack/outbox.js';
import type { AlertGroups } from './groups.js';
import type { Silences } from './silences.js';
import type { AlertEvent } from './types.js';

export interface RelayOptions {
  alertsChannel?: string;
  /** Alertmanager's group_wait: gather a new group's first alerts before posting. */
  groupWaitMs: number;
  /** group_interval: minimum gap between edits of one group's message. */
  groupIntervalMs: number;
  /** repeat_interval: a group still firing this long after its post (or last reminder) is mentioned again. */
  repeatIntervalMs: number;
}

export const defaultRelayOptions: RelayOptions = { groupWaitMs: 10_000, groupIntervalMs: 30_000, repeatIntervalMs: 4 * 3_600_000 };

const LIVE = new Set(['running', 'paused', 'rolling_back', 'rollback_paused', 'watching']);

export class Relay {
  constructor(
    private readonly d: { redis: Redis; prefix: string; groups: AlertGroups; silences: Silences; outbox: Outbox; store: RunStore; rt: Runtime; log: Logger },
    private readonly o: RelayOptions,
  ) {}

  /** Idempotent per event id: the inbox delivers at least once. */
  async handle(e: AlertEvent): Promise<void> {
    const done = `${this.d.prefix}:alerts:relayed:${e.id}`;
    if (await this.d.redis.exists(done)) return;
    const now = this.d.rt.now();
    const silence = e.monitor ? await this.d.silences.active(e.monitor, now) : null;
    if (silence) {
      await this.d.silences.suppress(e.monitor!, `${new Date(e.at).toISOString().slice(11, 19)} ${e.status === 'resolved' ? 'resolved' : e.severity}: ${e.title}`);
    } else {
      await this.deliver(e, now);
    }
    await this.d.redis.set(done, '1', 'EX', 86_400);
  }

  /** Reminds of groups still firing after repeat_interval, in their thread (called periodically). */
  async repeat(): Promise<number> {
    if (!this.o.alertsChannel) return 0;
    let n = 0;
    for (const g of await this.d.groups.firing()) {
      const now = this.d.rt.now();
      const claimed = await this.d.groups.claimRepeat(g.id, now, this.o.repeatIntervalMs);
      if (!claimed) continue;
      n++;
      await this.d.outbox.once(`alert.${g.id}.repeat.${now}`, this.o.alertsChannel, md`:repeat: Still firing after ${formatDuration(now - g.firingSince)} (${claimed.count} events so far).`, `alert.${g.id}`);
    }
    return n;
  }

  private async deliver(e: AlertEvent, now: number): Promise<void> {
    const { group, transition, newItem } = await this.d.groups.add(e, now);
    // Something new to see (a new issue, fired or resolved) is edited in at once, within the
    // chat.update budget; more of the same waits for group_interval.
    const urgent = newItem || transition !== null;
    const { outbox } = this.d;
    if (this.o.alertsChannel) {
      const key = `alert.${group.id}`;
      await outbox.message(key, this.o.alertsChannel, { kind: 'alert', ref: group.id, notBefore: group.firstAt + this.o.groupWaitMs, editEvery: this.o.groupIntervalMs, urgent });
      if (transition === 'resolved') {
        await outbox.once(`${key}.resolved.${group.resolvedAt}`, this.o.alertsChannel, md`:white_check_mark: Resolved after ${formatDuration(group.resolvedAt! - group.firingSince)}.`, key);
      }
    }
    for (const run of await this.liveRuns()) {
      const step = run.steps.find((s) => ['running', 'waiting', 'awaiting_approval'].includes(s.status)) ?? run.steps[run.cursor];
      const tag = run.status === 'watching' ? 'watch window' : run.status === 'rolling_back' || run.status === 'rollback_paused' ? 'rollback' : step?.id;
      await outbox.message(`${run.id}.alert.${group.id}`, run.channel, { kind: 'alert-run', runId: run.id, ref: group.id, thread: `${run.id}.card`, editEvery: this.o.groupIntervalMs, tag, urgent });
      // The report lists alerts received during the run: group, what, how many, on which step.
      await this.d.store.appendAudit(run.id, { kind: 'alert', user: e.source, at: e.at, hash: run.hash, group: e.group, count: e.count ?? 1, status: e.status, summary: e.title, note: tag });
      if (run.status === 'watching') await this.watch(run, e, now);
    }
  }

  private async watch(run: Run, e: AlertEvent, now: number): Promise<void> {
    const { rt, store } = this.d;
    await store.update(run.id, (r) => void (r.watch && r.watch.alerts++));
    const w = run.runbook.watch!;
    for (let i = 0; i < w.rollback_if.length; i++) {
      const m = matchTrigger(w, i, e, now);
      if (!m) continue;
      if (m.fire) await fireTrigger(rt, run.id, m.key, m.reason, m.evidence);
      else if (m.checkAt < run.watch!.until) await rt.jobs.enqueue({ kind: 'watch-check', runId: run.id, trigger: i, since: m.since, at: m.checkAt });
    }
    await rt.messages.changed(run.id);
  }

  private async liveRuns(): Promise<Run[]> {
    const runs = await Promise.all((await this.d.store.activeRunIds()).map((id) => this.d.store.get(id)));
    return runs.filter((r): r is Run => !!r && LIVE.has(r.status) && !r.dryRun);
  }
}
