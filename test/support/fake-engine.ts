// An EngineApi that records every call and answers from a table of runs, or with a planted error.
import type { ApproveResult, EngineApi, InDoubtChoice, PlanRequest, ReviewAction, RollbackOptions, RunbookListing, StartRequest, StepRef, TickState } from '../../src/engine/engine-api.js';
import type { Run } from '../../src/engine/types.js';
import { PreconditionFailedError } from '../../src/errors.js';

export interface EngineCall {
  method: keyof EngineApi;
  args: unknown[];
}

export class FakeEngine implements EngineApi {
  readonly calls: EngineCall[] = [];
  readonly runs = new Map<string, Run>();
  /** The next call to this method throws this error. */
  readonly failures = new Map<keyof EngineApi, Error>();
  /** While set, every call waits for it (at most 4 s): shows that acks do not wait for the engine. */
  hold: Promise<void> | null = null;
  listings: RunbookListing[] = [];
  approveResult: ApproveResult = { count: 1, min: 2, approved: false };

  constructor(...runs: Run[]) {
    for (const run of runs) this.runs.set(run.id, run);
  }

  /** Holds every engine call until the returned function is called. */
  holdCalls(): () => void {
    let release!: () => void;
    this.hold = new Promise((r) => (release = r));
    return () => {
      this.hold = null;
      release();
    };
  }

  called(method: keyof EngineApi): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private async record(method: keyof EngineApi, args: unknown[]): Promise<void> {
    this.calls.push({ method, args });
    if (this.hold) await Promise.race([this.hold, new Promise((r) => setTimeout(r, 4000))]);
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private run(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new PreconditionFailedError(`There is no run "${runId}".`);
    return run;
  }

  async listRunbooks() { await this.record('listRunbooks', []); return this.listings; }
  async start(req: StartRequest) { await this.record('start', [req]); return { ...this.runs.values().next().value!, dryRun: req.dryRun }; }
  async plan(req: PlanRequest) { await this.record('plan', [req]); return { ...this.runs.values().next().value!, status: 'planned' as const, plan: { t0: req.t0, gen: 1, plannedBy: req.user, locked: false } }; }
  async runLate(runId: string, user: string) { await this.record('runLate', [runId, user]); return this.run(runId); }
  async cancel(runId: string, user: string, reason: string) { await this.record('cancel', [runId, user, reason]); return { ...this.run(runId), status: 'cancelled' as const }; }
  async reschedule(runId: string, user: string, t0: number) { await this.record('reschedule', [runId, user, t0]); return this.run(runId); }
  async handover(runId: string, role: string, to: string, user: string) { await this.record('handover', [runId, role, to, user]); return this.run(runId); }
  async getRun(runId: string) { await this.record('getRun', [runId]); return this.runs.get(runId) ?? null; }
  async activeRun(channel: string) { await this.record('activeRun', [channel]); return [...this.runs.values()].find((r) => r.runbook.channel === channel && ['running', 'paused'].includes(r.status)) ?? null; }
  async recentRuns(limit: number) { await this.record('recentRuns', [limit]); return [...this.runs.values()].slice(0, limit); }
  async abort(runId: string, user: string) { await this.record('abort', [runId, user]); return { ...this.run(runId), status: 'aborted' as const }; }
  async checkRollback(runId: string, user: string, to?: string) { await this.record('checkRollback', to === undefined ? [runId, user] : [runId, user, to]); return this.run(runId); }
  async rollback(runId: string, user: string, reason: string, opts?: RollbackOptions) { await this.record('rollback', opts === undefined ? [runId, user, reason] : [runId, user, reason, opts]); return { ...this.run(runId), status: 'rolling_back' as const }; }
  async retryUndo(ref: StepRef, user: string) { await this.record('retryUndo', [ref, user]); }
  async skipUndo(ref: StepRef, user: string, reason: string) { await this.record('skipUndo', [ref, user, reason]); }
  async markUndone(ref: StepRef, user: string, reason: string) { await this.record('markUndone', [ref, user, reason]); }
  async confirmUndo(ref: StepRef, user: string) { await this.record('confirmUndo', [ref, user]); }
  async checkUndoDecision(ref: StepRef, user: string) { await this.record('checkUndoDecision', [ref, user]); return this.run(ref.runId); }
  async approve(ref: StepRef, user: string, confirmText?: string) { await this.record('approve', confirmText === undefined ? [ref, user] : [ref, user, confirmText]); return this.approveResult; }
  async reject(ref: StepRef, user: string) { await this.record('reject', [ref, user]); }
  async retry(ref: StepRef, user: string) { await this.record('retry', [ref, user]); }
  async skip(ref: StepRef, user: string, reason: string) { await this.record('skip', [ref, user, reason]); }
  async resolveInDoubt(ref: StepRef, user: string, choice: InDoubtChoice) { await this.record('resolveInDoubt', [ref, user, choice]); }
  async checkApprover(ref: StepRef, user: string) { await this.record('checkApprover', [ref, user]); return this.run(ref.runId); }
  async checkSkip(ref: StepRef, user: string) { await this.record('checkSkip', [ref, user]); return this.run(ref.runId); }
  async dismissProposal(runId: string, proposalId: string, user: string) { await this.record('dismissProposal', [runId, proposalId, user]); }
  async requestReport(runId: string | undefined, channel: string, user: string) { await this.record('requestReport', [runId, channel, user]); return runId ? this.run(runId) : this.runs.values().next().value!; }
  async checkTicker(ref: StepRef, item: string, user: string) { await this.record('checkTicker', [ref, item, user]); return this.run(ref.runId); }
  async tick(ref: StepRef, item: string, user: string, tick: TickState) { await this.record('tick', [ref, item, user, tick]); return { complete: false }; }
  async checkReviewer(ref: StepRef, user: string) { await this.record('checkReviewer', [ref, user]); return this.run(ref.runId); }
  async review(ref: StepRef, user: string, action: ReviewAction) { await this.record('review', [ref, user, action]); }
}
