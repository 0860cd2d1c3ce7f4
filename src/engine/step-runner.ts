// Handles one `step` job: decides whether the step may run (or is a re-delivery after a
// crash), runs it through the executor and persists the outcome. Never runs a side effect
// twice silently: a side-effecting step found `running` is verified or put to a human.
import { evaluateCondition } from '../runbooks/expressions.js';
import { findStep } from '../steps/registry.js';
import { createRedactor, redactDeep, secretMatcher } from '../lib/redact.js';
import { advance, stepIndex, type FollowUp } from './flow.js';
import { trustStored } from '../lib/mrkdwn.js';
import { OutputBuffer } from './output-buffer.js';
import { executeCall, type ExecuteOptions, type Outcome } from './step-executor.js';
import { liveOnlyReason, notRehearsedReason } from './rehearsal.js';
import { persistOutcome, applyFollowUp } from './step-outcome.js';
import { runScope, runSecrets } from './scope.js';
import type { Runtime } from './runtime.js';
import type { Run, StepState } from './types.js';
import type { JobResult } from './job-result.js';
import { canStep, moveStep } from './state-machine.js';

export type { JobResult } from './job-result.js';

/** Run statuses in which a step job may start its step. */
const LIVE: readonly string[] = ['running', 'after_window'];

const IN_DOUBT_NOTE = 'tzero restarted while this step was running: it may or may not have taken effect.';
const INTERRUPTED_NOTE = 'tzero was shut down (SIGTERM) while this step was running and killed it after the grace period: it may or may not have taken effect.';

export async function runStepJob(rt: Runtime, runId: string, stepId: string, attempt: number): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run || !LIVE.includes(run.status)) return {};
  const i = stepIndex(run, stepId);
  const st = run.steps[i]!;
  const spec = run.runbook.steps[i]!;
  if (st.attempt !== attempt) return {};
  if (st.status === 'done' || st.status === 'skipped') {
    // Finished, but the process died before the next step was enqueued: enqueue it now.
    let follow: FollowUp = { jobs: [], finished: false };
    const r = await rt.store.update(runId, (r) => {
      follow = advance(r, rt.now()); // idempotent: the next job id is deterministic
      if (!follow.jobs.length && !follow.finished) return false;
    });
    return applyFollowUp(rt, r, follow);
  }
  if (!canStep(st.status, { type: 'start' })) return {};
  // A timed step never starts before its time, whoever enqueued it (the due job starts it).
  if (st.status === 'pending' && run.plan && st.due !== undefined && rt.now() < st.due) return { delayUntil: st.due };

  const secrets = runSecrets(run, rt.secrets);
  const redact = createRedactor(secrets.values());
  const def = findStep(spec.uses);

  if (st.status === 'running' && rt.executions) {
    // Delivered again while it may still run (its process was cut off from Redis): look again
    // later rather than call it in doubt or run it twice.
    const settled = async () => (await rt.store.get(runId))?.steps[i]?.status !== 'running';
    const state = await rt.executions.alive(runId, stepId, attempt, settled);
    if (state === 'alive') return { delayUntil: rt.now() + 3000 };
    if (state === 'settled') return runStepJob(rt, runId, stepId, attempt);
  }
  // A step that runs for real in a rehearsal (`dry_run: run`) is treated like a live one.
  if (st.status === 'running' && def.sideEffects && (!run.dryRun || spec.dry_run === 'run')) {
    return handleInDoubt(rt, runId, stepId, attempt, secrets);
  }
  // A rehearsal does not fail a check whose premise it did not create (issue 6 §3).
  const notRehearsed = st.status === 'pending' ? notRehearsedReason(run, spec) : null;
  if (notRehearsed) return skipPending(rt, run, stepId, attempt, { note: notRehearsed, rehearsal: 'not_rehearsed' });
  if (st.status === 'pending' && spec.if) {
    const scope = runScope(run, secrets);
    let pass: boolean;
    try {
      pass = evaluateCondition(spec.if, scope);
    } catch (err) {
      return persistOutcome(rt, runId, stepId, attempt, { kind: 'failed', error: `if: ${(err as Error).message}`, evidence: [] }, redact);
    }
    if (!pass) {
      const liveOnly = liveOnlyReason(run, spec.if, scope);
      return skipPending(rt, run, stepId, attempt, liveOnly ? { note: liveOnly, rehearsal: 'not_rehearsed' } : { note: `condition false: ${spec.if}` });
    }
  }

  const started = await rt.store.update(runId, (r) => {
    const s = r.steps[i]!;
    if (!LIVE.includes(r.status) || s.attempt !== attempt || !canStep(s.status, { type: 'start' })) return false;
    moveStep(s, { type: 'start' }, rt.now());
  });
  const mine = started.steps[i]!;
  if (!LIVE.includes(started.status) || mine.attempt !== attempt || mine.status !== 'running') return {}; // aborted or rolled back meanwhile
  await rt.messages.step(runId, run.channel, stepId);
  await rt.messages.changed(runId);

  const rehearse = { mode: spec.dry_run, outputs: spec.dry_run_outputs };
  const outcome = await execute(rt, started, stepId, attempt, spec, secrets, redact, 'step', rehearse);
  if (outcome.kind === 'aborted' && rt.aborts.shuttingDown) {
    // Interrupted by shutdown, not aborted by a human. A side effect may be half done: in doubt,
    // as after a crash. A step without side effects is left running and re-run from the queue.
    rt.log.warn({ runId, stepId, attempt }, 'step interrupted by shutdown');
    if (def.sideEffects && (!run.dryRun || spec.dry_run === 'run')) await persistOutcome(rt, runId, stepId, attempt, { kind: 'in_doubt', note: INTERRUPTED_NOTE }, redact);
    return { interrupted: true };
  }
  return persistOutcome(rt, runId, stepId, attempt, outcome, redact);
}

/** Ends a pending step without running it: its condition was false, or it cannot be rehearsed. */
async function skipPending(rt: Runtime, run: Run, stepId: string, attempt: number, why: Pick<StepState, 'note' | 'rehearsal'>): Promise<JobResult> {
  let follow: FollowUp = { jobs: [], finished: false };
  const r = await rt.store.update(run.id, (r) => {
    const s = r.steps[stepIndex(r, stepId)]!;
    if (s.attempt !== attempt || s.status !== 'pending') return false;
    moveStep(s, { type: 'skip_condition' }, rt.now());
    Object.assign(s, { ...why, startedAt: rt.now() });
    follow = advance(r, rt.now());
  });
  await rt.messages.step(run.id, run.channel, stepId);
  return applyFollowUp(rt, r, follow);
}

async function handleInDoubt(rt: Runtime, runId: string, stepId: string, attempt: number, secrets: Map<string, string>): Promise<JobResult> {
  const run = (await rt.store.get(runId))!;
  const i = stepIndex(run, stepId);
  const spec = run.runbook.steps[i]!;
  const redact = createRedactor(secrets.values());
  rt.log.warn({ runId, stepId, attempt }, 'step was running when the process died');
  if (spec.verify) {
    const verdict = await execute(rt, run, stepId, attempt, { ...spec, uses: spec.verify.uses, with: spec.verify.with }, secrets, redact, 'verify');
    if (verdict.kind === 'done') {
      const summary = `in doubt after a restart; verify (${spec.verify.uses}) passed`;
      return persistOutcome(rt, runId, stepId, attempt, { kind: 'done', result: { ...verdict.result, summary } }, redact);
    }
    const why = verdict.kind === 'failed' ? verdict.error : verdict.kind;
    return persistOutcome(rt, runId, stepId, attempt, { kind: 'in_doubt', note: `${IN_DOUBT_NOTE} verify did not pass: ${why}` }, redact);
  }
  if (findStep(spec.uses).verify) {
    // The step type knows how to check itself (github.merge reads the branch back).
    const verdict = await execute(rt, run, stepId, attempt, spec, secrets, redact, 'verify', undefined, true);
    if (verdict.kind === 'done') return persistOutcome(rt, runId, stepId, attempt, { kind: 'done', result: { ...verdict.result, summary: `in doubt after a restart; checked: ${verdict.result.summary ?? 'it took effect'}` } }, redact);
    const why = verdict.kind === 'failed' ? verdict.error : verdict.kind;
    return persistOutcome(rt, runId, stepId, attempt, { kind: 'in_doubt', note: `${IN_DOUBT_NOTE} ${why}` }, redact);
  }
  return persistOutcome(rt, runId, stepId, attempt, { kind: 'in_doubt', note: IN_DOUBT_NOTE }, redact);
}

type Spec = { uses: string; with: Record<string, unknown>; timeout?: string; name?: string };

/** Runs a call of a step (the step itself, its verify or its undo) with output capture. */
export async function execute(
  rt: Runtime,
  run: Run,
  stepId: string,
  attempt: number,
  spec: Spec,
  secrets: ReadonlyMap<string, string>,
  redact: (t: string) => string,
  purpose: 'step' | 'verify' | 'undo',
  rehearse?: ExecuteOptions['rehearse'],
  builtinVerify = false,
): Promise<Outcome> {
  const st = run.steps.find((s) => s.id === stepId)!;
  const output = new OutputBuffer(secretMatcher(secrets.values()), async (chunk, tail) => {
    await rt.store.appendOutput(run.id, purpose === 'step' ? stepId : `${stepId}.${purpose}`, chunk);
    if (purpose !== 'step') return;
    await rt.store.update(run.id, (r) => {
      const s = r.steps.find((x) => x.id === stepId)!;
      if (s.attempt !== attempt || s.status !== 'running') return false;
      s.outputTail = tail;
    });
    await rt.messages.changed(run.id);
  });
  const controller = rt.aborts.track(run.id);
  const live = purpose === 'step' ? rt.executions?.begin(run.id, stepId, attempt) : undefined;
  let notes = 0;
  try {
    return await executeCall({
      run,
      stepId,
      name: st.name,
      attempt,
      call: { uses: spec.uses, with: spec.with },
      rehearse,
      timeout: spec.timeout,
      secrets,
      // A built-in verify reads what the interrupted attempt checkpointed (it never writes).
      checkpoints: purpose === 'step' || builtinVerify ? { ...st.checkpoints } : {},
      saveCheckpoint: async (key, value) => {
        if (purpose !== 'step') return;
        await rt.store.update(run.id, (r) => {
          const s = r.steps.find((x) => x.id === stepId)!;
          if (s.attempt !== attempt) return false;
          s.checkpoints[key] = value;
        });
      },
      notify: async ({ text, channel }) => {
        const key = `${stepId}.${purpose}.${attempt}.${notes++}`;
        await rt.messages.notify(run.id, key, trustStored(redact(text.text)), { channel: channel ?? run.channel, inThread: !channel });
      },
      silence: async (monitors, until) => {
        if (!rt.silences) throw new Error('silences are not available in this process');
        await rt.silences.silence(run.id, stepId, monitors, until);
      },
      unsilence: async (monitors) => {
        if (!rt.silences) throw new Error('silences are not available in this process');
        await rt.silences.unsilence(run.id, monitors);
      },
      stream: output.push,
      abort: controller.signal,
      now: () => rt.now(),
      builtinVerify,
      github: (token) => {
        if (!rt.github) throw new Error('GitHub is not available in this process');
        return rt.github.get(token);
      },
      log: {
        info: (msg, meta) => rt.log.info({ runId: run.id, stepId, ...redactDeep(meta, redact) }, redact(msg)),
        warn: (msg, meta) => rt.log.warn({ runId: run.id, stepId, ...redactDeep(meta, redact) }, redact(msg)),
      },
    });
  } finally {
    live?.();
    rt.aborts.release(run.id, controller);
    await output.end();
    if (purpose === 'step' && output.tail) {
      await rt.store.update(run.id, (r) => {
        const s = r.steps.find((x) => x.id === stepId)!;
        if (s.attempt !== attempt) return false;
        s.outputTail = output.tail;
      });
    }
  }
}
