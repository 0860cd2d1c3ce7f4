// Run and step metrics read from the run record, observed at the edge where the engine tells
// Slack that a run changed (RunMessages), not inside the engine: after each call the run is read
// once and compared with what was already counted. Each end is counted once across replicas and
// restarts through a SET NX marker in Redis.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RunMessages } from '../engine/messages.js';
import type { RunStore } from '../engine/run-store.js';
import { TERMINAL_RUN } from '../engine/state-machine.js';
import type { Run, StepState } from '../engine/types.js';
import type { Metrics } from './metrics.js';

const STEP_ENDS = new Set(['done', 'failed', 'skipped', 'aborted', 'in_doubt']);
// The engine's own list of end states: the metrics read the same states as the card (conventions §16).
const RUN_ENDS = new Set<string>(TERMINAL_RUN);
const MARKER_TTL_SEC = 7 * 24 * 3600;

export interface RunObserverDeps {
  store: RunStore;
  redis: Redis;
  prefix: string;
  metrics: Metrics;
  log: Logger;
}

export class RunObserver {
  /** Markers this process already holds or saw taken: no Redis call for them again. */
  private readonly known = new Set<string>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly d: RunObserverDeps) {}

  /** Looks at the run now (coalesced per run: at most one pass running and one queued). */
  observe(runId: string): Promise<void> {
    if (this.busy.has(runId)) {
      this.again.add(runId);
      return this.busy.get(runId)!;
    }
    const pass = this.pass(runId)
      .catch((err: unknown) => this.d.log.warn({ err, runId }, 'metrics: run not observed'))
      .finally(() => {
        this.busy.delete(runId);
        if (this.again.delete(runId)) void this.observe(runId);
      });
    this.busy.set(runId, pass);
    return pass;
  }

  /** Wraps the engine's Slack port: every message call also triggers an observation. */
  wrap(inner: RunMessages): RunMessages {
    const after = <T>(runId: string, p: Promise<T>) => p.finally(() => void this.observe(runId));
    return {
      card: (runId, channel) => after(runId, inner.card(runId, channel)),
      step: (runId, channel, stepId) => after(runId, inner.step(runId, channel, stepId)),
      rollback: (runId, channel) => after(runId, inner.rollback(runId, channel)),
      notify: (runId, key, text, target) => inner.notify(runId, key, text, target),
      proposal: (runId, channel, proposalId) => inner.proposal(runId, channel, proposalId),
      changed: (runId) => after(runId, inner.changed(runId)),
    };
  }

  private async pass(runId: string): Promise<void> {
    const run = await this.d.store.get(runId);
    if (!run) return;
    const m = this.d.metrics;
    if (!run.dryRun) {
      for (const s of run.steps) {
        if (!STEP_ENDS.has(s.status) || s.endedAt === undefined) continue;
        if (!(await this.first(`${run.id}:${s.id}:${s.attempt}:${s.status}`))) continue;
        if (s.startedAt !== undefined) m.stepDuration.observe({ type: s.uses, result: s.status }, Math.max(0, s.endedAt - s.startedAt) / 1000);
        this.approval(s);
      }
    }
    if (run.rollback && (await this.first(`${run.id}:rollback:${run.rollback.at}`))) {
      m.rollbacks.inc({ trigger: run.rollback.requestedBy === 'tzero' ? 'watch' : 'human' });
    }
    if (RUN_ENDS.has(run.status) && (await this.first(`${run.id}:run:${run.status}`))) {
      m.runsFinished.inc({ status: run.status, dry_run: String(run.dryRun) });
    }
  }

  private approval(s: StepState): void {
    const a = s.approval;
    if (!a || s.startedAt === undefined) return;
    // Only a decision is timed; a skipped, expired or aborted approval was not decided.
    const decided = a.rejection ? a.rejection.at : s.status === 'done' && a.approvals.length >= a.min ? a.approvals.at(-1)!.at : undefined;
    if (decided === undefined) return;
    this.d.metrics.approvalWait.observe({ result: a.rejection ? 'rejected' : 'approved' }, Math.max(0, decided - s.startedAt) / 1000);
  }

  /** True the first time anywhere (any replica, any restart) this end is seen. */
  private async first(key: string): Promise<boolean> {
    if (this.known.has(key)) return false;
    const won = await this.d.redis.set(`${this.d.prefix}:metrics:seen:${key}`, '1', 'EX', MARKER_TTL_SEC, 'NX');
    this.known.add(key);
    if (this.known.size > 50_000) this.known.clear(); // a cache only: Redis keeps the truth
    return won === 'OK';
  }
}

/** Active runs by status, for the `tzero_runs` gauge. */
export async function runsByStatus(store: RunStore): Promise<Record<string, number>> {
  const runs = await Promise.all((await store.activeRunIds()).map((id) => store.get(id)));
  const out: Record<string, number> = {};
  for (const r of runs.filter((x): x is Run => !!x && !RUN_ENDS.has(x.status))) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}
