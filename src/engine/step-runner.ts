// Handles one `step` job: decides whether the step may run (or is a re-delivery after a
// crash), runs it through the executor and persists the outcome. Never runs a side effect
// twice silently: a side-effecting step found `running` is verified or put to a human.
import { evaluateCondition } from '../runbooks/expressions.js';
import { findStep } from '../steps/registry.js';
import { createRedactor, redactDeep, secretMatcher } from '../lib/redact.js';
import { advance, stepIndex, type FollowUp } from './flow.js';
import { trustStored } from '../lib/mrkdwn.js';
import { OutputBuffer } from './output-buffer.js';
import { executeCall, type Outcome } from './step-executor.js';
import { persistOutcome, applyFollowUp } from './step-outcome.js';
import { runScope, runSecrets } from './scope.js';
import type { Runtime } from './runtime.js';
import type { Run } from './types.js';
import type { JobResult } from './job-result.js';
import { canStep, moveStep } from './state-machine.js';

export type { JobResult } from './job-result.js';

const IN_DOUBT_NOTE = 'tzero restarted while this step was running: it may or may not have taken effect.';

export async function runStepJob(rt: Runtime, runId: string, stepId: string, attempt: number): Promise<JobResult> {
  const run = await rt.store.get(runId);
  if (!run || run.status !== 'running') return {};
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

  const secrets = runSecrets(run, rt.secrets);
  const redact = createRedactor(secrets.values());
  const def = findStep(spec.uses);

  if (st.status === 'running' && def.sideEffects && !run.dryRun) {
    return handleInDoubt(rt, runId, stepId, attempt, secrets);
  }
  if (st.status === 'pending' && spec.if) {
    let pass: boolean;
    try {
      pass = evaluateCondition(spec.if, runScope(run, secrets));
    } catch (err) {
      return persistOutcome(rt, runId, stepId, attempt, { kind: 'failed', error: `if: ${(err as Error).message}`, evidence: [] }, redact);
    }
    if (!pass) {
      let follow: FollowUp = { jobs: [], finished: false };
      const r = await rt.store.update(runId, (r) => {
        const s = r.steps[i]!;
        if (s.attempt !== attempt || s.status !== 'pending') return false;
        moveStep(s, { type: 'skip_condition' }, rt.now());
        Object.assign(s, { note: `condition false: ${spec.if}`, startedAt: rt.now() });
        follow = advance(r, rt.now());
      });
      await rt.messages.step(runId, run.channel, stepId);
      return applyFollowUp(rt, r, follow);
    }
  }

  const started = await rt.store.update(runId, (r) => {
    const s = r.steps[i]!;
    if (r.status !== 'running' || s.attempt !== attempt || !canStep(s.status, { type: 'start' })) return false;
    moveStep(s, { type: 'start' }, rt.now());
  });
  const mine = started.steps[i]!;
  if (started.status !== 'running' || mine.attempt !== attempt || mine.status !== 'running') return {}; // aborted or rolled back meanwhile
  await rt.messages.step(runId, run.channel, stepId);
  await rt.messages.changed(runId);

  const outcome = await execute(rt, started, stepId, attempt, spec, secrets, redact, 'step');
  return persistOutcome(rt, runId, stepId, attempt, outcome, redact);
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
  let notes = 0;
  try {
    return await executeCall({
      run,
      stepId,
      name: st.name,
      attempt,
      call: { uses: spec.uses, with: spec.with },
      timeout: spec.timeout,
      secrets,
      checkpoints: purpose === 'step' ? { ...st.checkpoints } : {},
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
      log: {
        info: (msg, meta) => rt.log.info({ runId: run.id, stepId, ...redactDeep(meta, redact) }, redact(msg)),
        warn: (msg, meta) => rt.log.warn({ runId: run.id, stepId, ...redactDeep(meta, redact) }, redact(msg)),
      },
    });
  } finally {
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
