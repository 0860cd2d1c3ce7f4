// The engine behind the Slack edge: every human request is authorized here, against the
// run's snapshot, recorded in the audit stream, applied atomically, and turned into jobs.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { InvalidRunbookError, PermissionDeniedError, PreconditionFailedError } from '../errors.js';
import { loadRunbooks, type LoadOptions } from '../runbooks/load.js';
import { stepDisplayName } from '../runbooks/step-name.js';
import type { Action } from '../runbooks/schema.js';
import { authorize, principals } from './authorize.js';
import { describeDrift, driftSince } from './drift.js';
import { advance, isTerminal, type FollowUp } from './flow.js';
import type { EngineApi, PlanRequest, RunbookListing, StartRequest } from './engine-api.js';
import { TimelineDecisions } from './timeline-decisions.js';
import { allSteps, isTimed, lateSteps, timelineFields } from './timeline.js';
import { applyFollowUp } from './step-outcome.js';
import type { Runtime } from './runtime.js';
import type { AuditKind, Run } from './types.js';
import { canRun, canStep, INITIAL_PLANNED_RUN, INITIAL_RUN, INITIAL_STEP, moveRun, moveStep } from './state-machine.js';

const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const ago = (ms: number) => (ms < 120_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)} min`);

export function newRunId(): string {
  // Starts with a letter: BullMQ rejects all-digit job ids, and people type these.
  let id = ID_ALPHABET[randomInt(23)]!;
  for (let i = 0; i < 5; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export class Engine extends TimelineDecisions implements EngineApi {
  constructor(
    rt: Runtime,
    private readonly runbooksDir: string,
    publishAbort: (runId: string) => Promise<void>,
    /** Can the card be posted in this channel? A problem text stops the start. */
    private readonly checkChannel: (channel: string) => Promise<string | null> = async () => null,
    /** The monitors file: runbooks naming a monitor not in it are invalid. */
    private readonly load: LoadOptions = {},
  ) {
    super(rt);
    this.publishAbort = publishAbort;
  }

  async listRunbooks(): Promise<RunbookListing[]> {
    const { runbooks, invalid } = await loadRunbooks(this.runbooksDir, this.load);
    const ok = [...runbooks.values()].map((l) => ({ name: l.runbook.name, file: l.file, title: l.runbook.title, steps: l.runbook.steps.length }));
    const bad = invalid.map((i) => ({ name: path.basename(i.file).replace(/\.ya?ml$/, ''), file: i.file, error: i.problems.join('\n') }));
    return [...ok, ...bad].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Loads, authorizes and checks a runbook for a start or a plan. */
  private async startable(req: StartRequest) {
    const { runbooks, invalid } = await loadRunbooks(this.runbooksDir, this.load);
    const loaded = runbooks.get(req.runbook);
    if (!loaded) {
      const bad = invalid.find((i) => path.basename(i.file).replace(/\.ya?ml$/, '') === req.runbook);
      if (bad) throw new InvalidRunbookError(`Runbook ${req.runbook} is invalid; nothing was started.`, bad.problems);
      const known = [...runbooks.keys()].sort().join(', ') || 'none';
      throw new PreconditionFailedError(`There is no runbook named "${req.runbook}". Known: ${known}.`);
    }
    const rb = loaded.runbook;
    await this.guard(undefined, 'start', req.user, () => authorize(rb, 'start', req.user), rb.name, loaded.hash);
    const missing = rb.secrets.filter((s) => this.rt.secrets(s) === undefined);
    if (missing.length) throw new InvalidRunbookError(`Runbook ${rb.name} needs secrets that are not set in tzero's environment: ${missing.join(', ')}.`, missing.map((m) => `secret ${m} is not set`));

    const drift = req.dryRun ? null : driftSince(await this.rt.store.lastRehearsal(rb.name), rb, loaded.hash);
    if (drift && rb.require_rehearsal) {
      throw new PreconditionFailedError(`Runbook ${rb.name} has require_rehearsal: true. ${describeDrift(drift)} Run \`/cutover start ${rb.name} --dry-run\` first; nothing was started.`);
    }
    const channelProblem = await this.checkChannel(rb.channel);
    if (channelProblem) throw new PreconditionFailedError(`Runbook ${rb.name} cannot start: ${channelProblem}`);
    return { ...loaded, drift };
  }

  async start(req: StartRequest): Promise<Run> {
    const loaded = await this.startable(req);
    const { drift } = loaded;
    const rb = loaded.runbook;
    const now = this.rt.now();
    // A timed runbook started now: T-0 is now, and T-minus steps are late (confirmed, never silent).
    if (isTimed(rb)) return this.createPlan(loaded, { ...req, t0: now }, 'start');
    const id = await this.freshId();
    const lock = rb.lock ?? rb.name;
    // A dry run never holds or waits for the lock: it cannot block the live run, and two
    // rehearsals of one runbook may run side by side (issue 6 §3).
    const holder = req.dryRun ? null : await this.takeLock(lock, { runId: id, user: req.user, at: now });
    const run: Run = {
      id, runbook: rb, hash: loaded.hash, file: loaded.file, dryRun: req.dryRun, startedBy: req.user, startedAt: now,
      channel: rb.channel, lock, status: INITIAL_RUN, cursor: 0, version: 0, ...(drift ? { drift } : {}),
      steps: rb.steps.map((s) => ({ id: s.id, name: stepDisplayName(s, rb.vars, { id, dry_run: req.dryRun, started_by: req.user }), uses: s.uses, status: INITIAL_STEP, attempt: 1, outputs: {}, checkpoints: {} })),
    };
    try {
      if (holder) throw holder;
      await this.rt.store.create(run);
    } catch (err) {
      if (!holder && !req.dryRun) await this.rt.store.releaseLock(lock, id);
      throw err;
    }
    await this.audit(run, 'start', req.user, undefined, req.dryRun ? 'dry run' : 'live');
    await this.rt.messages.card(run.id, run.channel);
    let follow: FollowUp = { jobs: [], finished: false };
    const started = await this.rt.store.update(run.id, (r) => void (follow = advance(r, now)));
    await applyFollowUp(this.rt, started, follow);
    return started;
  }

  /** `/cutover plan <runbook> at <time>`: a planned run whose T-0 is that time. */
  async plan(req: PlanRequest): Promise<Run> {
    const loaded = await this.startable(req);
    if (req.t0 <= this.rt.now()) throw new PreconditionFailedError('That time is in the past; use `/cutover start` to start now.');
    return this.createPlan(loaded, req, 'plan');
  }

  private async createPlan(loaded: Awaited<ReturnType<Engine['startable']>>, req: PlanRequest, kind: 'plan' | 'start'): Promise<Run> {
    const rb = loaded.runbook;
    const now = this.rt.now();
    const lock = rb.lock ?? rb.name;
    await this.refuseConflict(lock, req.t0);
    const steps = allSteps(rb).map(({ afterWindow: _, ...s }) => s);
    const fields = timelineFields(allSteps(rb), req.t0);
    const run: Run = {
      id: await this.freshId(), runbook: { ...rb, steps }, hash: loaded.hash, file: loaded.file, dryRun: req.dryRun, startedBy: req.user, startedAt: now,
      channel: rb.channel, lock, status: INITIAL_PLANNED_RUN, cursor: 0, version: 0,
      plan: { t0: req.t0, gen: 1, plannedBy: req.user, locked: false },
      steps: steps.map((s, i) => ({ id: s.id, name: s.name ?? s.id, uses: s.uses, status: INITIAL_STEP, attempt: 1, outputs: {}, checkpoints: {}, ...fields[i] })),
    };
    const late = lateSteps(run, now);
    if (late.length) run.plan!.awaitingLateConfirm = late.map((s) => s.id);
    const current = await this.rt.store.channelRunId(run.channel);
    await this.rt.store.create(run);
    // A plan for later does not hide a run live in the channel from /rollback and /cutover status.
    const live = current ? await this.rt.store.get(current) : null;
    if (live && !isTerminal(live) && live.status !== 'planned') await this.rt.store.pointChannel(run.channel, live.id);
    await this.audit(run, kind, req.user, undefined, `T-0 ${new Date(req.t0).toISOString()}${req.dryRun ? ', dry run' : ''}`);
    await this.rt.messages.card(run.id, run.channel);
    return late.length ? run : this.arm(run.id);
  }

  /** One lock, one cutover: a plan or run holding the same lock refuses a new plan, named. */
  private async refuseConflict(lock: string, t0: number): Promise<void> {
    for (const id of await this.rt.store.activeRunIds()) {
      const other = await this.rt.store.get(id);
      if (!other || other.lock !== lock || isTerminal(other) || other.status === 'after_window') continue;
      const when = other.plan ? `planned for ${new Date(other.plan.t0).toISOString().slice(0, 16).replace('T', ' ')} UTC` : `${other.status.replace(/_/g, ' ')}`;
      throw new PreconditionFailedError(`Lock ${lock} is taken by run ${other.id} (${other.runbook.name}), ${when}; it conflicts with T-0 ${new Date(t0).toISOString().slice(0, 16).replace('T', ' ')} UTC. Cancel or reschedule it first.`);
    }
  }

  getRun(runId: string): Promise<Run | null> {
    return this.rt.store.get(runId);
  }

  async activeRun(channel: string): Promise<Run | null> {
    const id = await this.rt.store.channelRunId(channel);
    return id ? this.rt.store.get(id) : null;
  }

  recentRuns(limit: number): Promise<Run[]> {
    return this.rt.store.recent(limit);
  }

  async abort(runId: string, user: string): Promise<Run> {
    const now = this.rt.now();
    const run = await this.mutate(runId, 'abort', user, undefined, (r) => {
      const allowed = new Set([...principals(r.runbook, r.runbook.can.rollback ?? ['lead']), r.startedBy]);
      if (!allowed.has(user)) throw new PermissionDeniedError(`You can't abort run ${r.id}: only the person who started it or those who may roll back can.`);
      if (!canRun(r.status, { type: 'abort' })) throw new PreconditionFailedError(`Run ${r.id} is ${r.status.replace(/_/g, ' ')}; nothing to abort.`);
      moveRun(r, { type: 'abort' }, now);
      r.abort = { user, at: now };
      for (const s of r.steps) if (canStep(s.status, { type: 'abort' })) moveStep(s, { type: 'abort' }, now);
    });
    await this.publishAbort(runId);
    await applyFollowUp(this.rt, run, { jobs: [], finished: true });
    return run;
  }

  async dismissProposal(runId: string, proposalId: string, user: string): Promise<void> {
    const now = this.rt.now();
    const run = await this.mutate(runId, 'dismiss', user, undefined, (r) => {
      authorize(r.runbook, 'rollback', user);
      const p = r.watch?.proposals.find((x) => x.id === proposalId);
      if (!p) throw new PreconditionFailedError(`Run ${r.id} has no rollback proposal ${proposalId}.`);
      if (r.status !== 'watching' || p.status !== 'open') throw new PreconditionFailedError(`This proposal is out of date: run ${r.id} is ${r.status.replace(/_/g, ' ')}.`);
      p.status = 'dismissed';
      p.decidedBy = { user, at: now };
    }, proposalId);
    await this.rt.messages.proposal(run.id, run.channel, proposalId);
  }

  async requestReport(runId: string | undefined, channel: string, user: string): Promise<Run> {
    const run = runId ? await this.rt.store.get(runId) : (await this.activeRun(channel)) ?? (await this.rt.store.recent(20)).find((r) => r.channel === channel) ?? null;
    if (!run) throw new PreconditionFailedError(runId ? `There is no run "${runId}".` : 'No run in this channel yet. `/cutover status` lists recent runs.');
    if (!this.rt.reports) throw new PreconditionFailedError('Reports are not posted by this tzero (no Slack upload configured).');
    this.rt.log.info({ runId: run.id, user }, 'report requested');
    // Not awaited: the upload may wait for the card; the command is answered at once.
    this.rt.reports.requested(run.id).catch((err: unknown) => this.rt.log.warn({ runId: run.id, err }, 'report not posted'));
    return run;
  }

  private async freshId(): Promise<string> {
    for (;;) {
      const id = newRunId();
      if (!(await this.rt.store.get(id))) return id;
    }
  }

  /** Takes the lock; returns an error describing the holder when it is held by a live run. */
  private async takeLock(lock: string, me: { runId: string; user: string; at: number }): Promise<Error | null> {
    for (let i = 0; i < 3; i++) {
      const holder = await this.rt.store.takeLock(lock, me);
      if (!holder) return null;
      const held = await this.rt.store.get(holder.runId);
      if (held && !isTerminal(held)) {
        return new PreconditionFailedError(
          `Lock ${lock} is held by run ${holder.runId} (${held.runbook.name}), started by <@${holder.user}> at ${new Date(holder.at).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${ago(this.rt.now() - holder.at)} ago.`,
        );
      }
      // A lock left by a crash between taking it and creating the run, or by a finished run.
      await this.rt.store.releaseLock(lock, holder.runId);
    }
    return new PreconditionFailedError(`Lock ${lock} is busy; try again.`);
  }
}

export type { Action, AuditKind };
