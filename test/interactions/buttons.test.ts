import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionDeniedError, PreconditionFailedError } from '../../src/errors.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { rollbackValue, runValue, stepRefValue } from '../../src/slack/blocks/values.js';
import { FakeEngine } from '../support/fake-engine.js';
import { makeRun, makeStep } from '../support/run-fixture.js';
import { startHarness, waitFor, type Harness } from '../support/slack-harness.js';
import { actionBody } from '../support/slack-payloads.js';

const RUN = 'r-20261122-abc';
const ref = { runId: RUN, stepId: 'copy', attempt: 2 };
let engine: FakeEngine;
let h: Harness;

beforeEach(async () => {
  engine = new FakeEngine(makeRun({ status: 'paused', steps: [makeStep('copy', { status: 'failed', attempt: 2 })] }));
  h = await startHarness(engine);
});
afterEach(() => h.close());

const click = (actionId: string, value: string) => h.send(actionBody(actionId, value, h.responseUrl));
const reply = () => waitFor(() => h.responses[0]) as Promise<{ text: string; response_type: string; replace_original: boolean }>;
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('step and card buttons', () => {
  it('acks at once with an empty body, before the engine answers', async () => {
    const release = engine.holdCalls();
    const sent = await click(ACTION_IDS.approve, stepRefValue(ref));
    expect(sent).toMatchObject({ status: 200, body: '' });
    expect(sent.ms).toBeLessThan(3000);
    await waitFor(() => engine.called('approve').length);
    expect(h.responses).toEqual([]);
    release();
    const r = await reply();
    expect(r).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(r.text).toBe('Your approval of copy is recorded (1/2).');
    expect(engine.called('approve')).toEqual([[ref, 'U0DBA']]);
  });

  it.each([
    [ACTION_IDS.reject, 'reject', [ref, 'U0DBA']],
    [ACTION_IDS.retry, 'retry', [ref, 'U0DBA']],
    [ACTION_IDS.runAgain, 'resolveInDoubt', [ref, 'U0DBA', 'run_again']],
    [ACTION_IDS.markDone, 'resolveInDoubt', [ref, 'U0DBA', 'mark_done']],
    [ACTION_IDS.stepRollback, 'rollback', [RUN, 'U0DBA', 'rollback from step copy (attempt 2)']],
  ] as const)('%s calls engine.%s with the ref from the value', async (actionId, method, args) => {
    await click(actionId, stepRefValue(ref));
    await waitFor(() => engine.called(method).length);
    expect(engine.called(method)).toEqual([args]);
  });

  it('card Abort and Roll back call the engine with the run id', async () => {
    await click(ACTION_IDS.abort, runValue(RUN));
    await click(ACTION_IDS.runRollback, runValue(RUN));
    await waitFor(() => engine.called('rollback').length && engine.called('abort').length);
    expect(engine.called('abort')).toEqual([[RUN, 'U0DBA']]);
    expect(engine.called('rollback')).toEqual([[RUN, 'U0DBA', 'requested from the run card']]);
  });

  it('someone not allowed gets the reason ephemerally', async () => {
    engine.failures.set('approve', new PermissionDeniedError('you are not an approver of copy (dba)'));
    await click(ACTION_IDS.approve, stepRefValue(ref));
    const r = await reply();
    expect(r).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(r.text).toBe(":no_entry: You can't do that: you are not an approver of copy (dba)");
  });

  it('a stale button gets a polite answer', async () => {
    engine.failures.set('retry', new PreconditionFailedError('step copy is now running (attempt 3).'));
    await click(ACTION_IDS.retry, stepRefValue(ref));
    expect((await reply()).text).toBe(':hourglass: This button is out of date: step copy is now running (attempt 3).');
  });

  it('a malformed or forged value never reaches the engine', async () => {
    for (const value of ['not json', '{"runId":"r"}', `${RUN}|copy|2`]) await click(ACTION_IDS.retry, value);
    await waitFor(() => h.responses.length === 3);
    expect(h.responses.every((r) => String(r.text).includes('out of date or malformed'))).toBe(true);
    await settle();
    expect(engine.calls).toEqual([]);
  });

  it('the /rollback confirm button replaces its ephemeral with the outcome', async () => {
    await click(ACTION_IDS.rollbackConfirm, rollbackValue(RUN, 'p99 doubled'));
    const r = await reply();
    expect(engine.called('rollback')).toEqual([[RUN, 'U0DBA', 'p99 doubled']]);
    expect(r).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(r.text).toContain(`Rollback of \`${RUN}\` requested`);
  });

  it('a refused /rollback confirm replaces the ephemeral with the reason', async () => {
    engine.failures.set('rollback', new PreconditionFailedError('run r-20261122-abc is rolled back already.'));
    await click(ACTION_IDS.rollbackConfirm, rollbackValue(RUN, 'x'));
    const r = await reply();
    expect(r.replace_original).toBe(true);
    expect(r.text).toContain('rolled back already');
  });
});
