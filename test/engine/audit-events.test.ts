// The audit stream on real Redis: every transition written through RunStore is recorded, a
// retry keeps the failed attempt's error and evidence, and no secret reaches the stream.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { isDecision } from '../../src/engine/audit-events.js';
import { beginRollback } from '../../src/engine/flow.js';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import { AbortRegistry, type Runtime } from '../../src/engine/runtime.js';
import { persistOutcome } from '../../src/engine/step-outcome.js';
import { createRedactor } from '../../src/lib/redact.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const redis = new Redis(process.env.REDIS_URL!);
afterAll(() => redis.quit());
const SECRET = 'hunter2-db-password';
const redact = createRedactor([SECRET]);

function runtime(clock: { now: number }): Runtime {
  const noop = async () => undefined;
  return {
    store: new RunStore(redis, keys(`t${randomUUID().slice(0, 8)}`), undefined, () => clock.now),
    jobs: { enqueue: async () => undefined },
    messages: { card: noop, step: noop, rollback: noop, notify: noop, proposal: noop, changed: noop },
    secrets: () => undefined,
    log: pino({ level: 'silent' }),
    aborts: new AbortRegistry(),
    now: () => clock.now,
  };
}

it('keeps the failed attempt (error, evidence) after an automatic retry, then records the passing attempt', async () => {
  const clock = { now: T0 };
  const rt = runtime(clock);
  const run = makeRun({ steps: [makeStep('final-sync', { status: 'running', startedAt: T0 })] });
  run.runbook.steps[0]!.retries = 1;
  await rt.store.create(run);

  clock.now = T0 + 4_000;
  await persistOutcome(rt, run.id, 'final-sync', 1, { kind: 'failed', error: `exit 1: auth failed for ${SECRET}`, evidence: ['pg_dump: connection refused'] }, redact);
  await rt.store.update(run.id, (r) => void Object.assign(r.steps[0]!, { status: 'running', startedAt: T0 + 6_000 }));
  clock.now = T0 + 9_000;
  const done = await persistOutcome(rt, run.id, 'final-sync', 2, { kind: 'done', result: { summary: 'synced', outputs: { rows: 1200 }, evidence: ['checksum equal'] } }, redact);
  expect(done).toEqual({});

  const stored = (await rt.store.get(run.id))!;
  expect(stored.steps[0]).toMatchObject({ status: 'done', attempt: 2 });
  expect(stored.steps[0]!.error).toBeUndefined();
  expect(stored.steps[0]!.attempts).toEqual([
    expect.objectContaining({ attempt: 1, status: 'failed', error: 'exit 1: auth failed for •••', evidence: ['pg_dump: connection refused'], startedAt: T0, endedAt: T0 + 4_000 }),
  ]);

  const audit = await rt.store.audit(run.id);
  expect(audit.map((a) => `${a.kind}${a.step ? `:${a.step}` : ''}${a.attempt ? `#${a.attempt}` : ''}`)).toEqual([
    'run_planned', 'run_started',
    'step_failed:final-sync#1', 'step_retried:final-sync#2',
    'step_started:final-sync#2',
    'step_output:final-sync#2', 'step_evidence:final-sync#2', 'step_ended:final-sync#2',
    'run_ended',
  ]);
  expect(audit.find((a) => a.kind === 'step_failed')).toMatchObject({ error: 'exit 1: auth failed for •••', evidence: ['pg_dump: connection refused'], ms: 4_000, user: 'tzero' });
  expect(audit.find((a) => a.kind === 'step_retried')!.note).toMatch(/automatic retry 1\/1/);
  expect(audit.find((a) => a.kind === 'step_ended')).toMatchObject({ status: 'done', ms: 3_000, summary: 'synced' });
  expect(audit.find((a) => a.kind === 'step_output')!.summary).toBe('rows=1200');
  expect(audit.find((a) => a.kind === 'run_ended')).toMatchObject({ status: 'succeeded', ms: 9_000 });
  expect(audit.some(isDecision)).toBe(false);
  expect(JSON.stringify(audit)).not.toContain(SECRET);
});

it('records a skip with who and why, and a rollback with its undos and the end state', async () => {
  const clock = { now: T0 };
  const rt = runtime(clock);
  const run = makeRun({ steps: [makeStep('deploy', { status: 'done', startedAt: T0, endedAt: T0 + 1 }), makeStep('smoke', { status: 'failed', error: 'HTTP 502' })], status: 'paused' });
  await rt.store.create(run);
  await rt.store.update(run.id, (r) => {
    Object.assign(r.steps[1]!, { status: 'skipped', skipped: { user: 'U0LEAD', at: T0 + 5, reason: 'checked by hand' }, endedAt: T0 + 5 });
    r.status = 'running';
  });
  await rt.store.update(run.id, (r) => void beginRollback(r, 'U0LEAD', 'error rate up', T0 + 10));
  const audit = await rt.store.audit(run.id);
  expect(audit.find((a) => a.kind === 'step_skipped')).toMatchObject({ step: 'smoke', user: 'U0LEAD', reason: 'checked by hand' });
  expect(audit.find((a) => a.kind === 'run_resumed')).toBeDefined();
  expect(audit.find((a) => a.kind === 'rollback_started')).toMatchObject({ user: 'U0LEAD', reason: 'error rate up' });
  expect(audit.at(-1)).toMatchObject({ kind: 'run_rolled_back', status: 'rolled_back' });
});
