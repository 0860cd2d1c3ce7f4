import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionDeniedError, PreconditionFailedError } from '../../src/errors.js';
import { ACTION_IDS, INPUT_IDS, VIEW_IDS } from '../../src/slack/action-ids.js';
import { modalMeta, stepRefValue } from '../../src/slack/blocks/values.js';
import { FakeEngine } from '../support/fake-engine.js';
import { makeRun, makeStep } from '../support/run-fixture.js';
import { startHarness, waitFor, type Harness } from '../support/slack-harness.js';
import { actionBody, viewBody } from '../support/slack-payloads.js';

const RUN = 'r-20261122-abc';
const ref = { runId: RUN, stepId: 'flip', attempt: 1 };
const approval = { prompt: 'Flip prod?', approvers: ['U0DBA'], min: 1, allowSelf: false, approvals: [], confirmText: 'orders-prod' };
let engine: FakeEngine;
let h: Harness;

beforeEach(async () => {
  engine = new FakeEngine(makeRun({ status: 'running', steps: [makeStep('flip', { status: 'awaiting_approval', approval })] }));
  h = await startHarness(engine);
});
afterEach(() => h.close());

const submitConfirm = (typed: string) =>
  h.send(viewBody(VIEW_IDS.approveConfirmText, modalMeta({ ...ref, channel: 'C0CUTOVER' }), INPUT_IDS.confirmTextBlock, INPUT_IDS.confirmTextAction, typed));
const submitSkip = (reason: string) =>
  h.send(viewBody(VIEW_IDS.skipReason, modalMeta(ref), INPUT_IDS.skipReasonBlock, INPUT_IDS.skipReasonAction, reason));

describe('confirm-text approval', () => {
  it('checks the approver, then opens the modal with the payload\'s trigger_id', async () => {
    const sent = await h.send(actionBody(ACTION_IDS.approveTyped, stepRefValue(ref), h.responseUrl));
    expect(sent).toMatchObject({ status: 200, body: '' });
    const open = await waitFor(() => h.api.find((c) => c.method === 'views.open'));
    expect(engine.called('checkApprover')).toEqual([[ref, 'U0DBA']]);
    expect(open.params.trigger_id).toBe('1234.5678.trigger');
    const view = JSON.parse(open.params.view!);
    expect(view.callback_id).toBe(VIEW_IDS.approveConfirmText);
    expect(JSON.parse(view.private_metadata)).toMatchObject(ref);
    expect(engine.called('approve')).toEqual([]);
  });

  it('a non-approver gets the reason and no modal', async () => {
    engine.failures.set('checkApprover', new PermissionDeniedError('you started this run; someone else must approve'));
    await h.send(actionBody(ACTION_IDS.approveTyped, stepRefValue(ref), h.responseUrl));
    const r = await waitFor(() => h.responses[0]);
    expect(r.text).toContain('someone else must approve');
    expect(h.api.some((c) => c.method === 'views.open')).toBe(false);
  });

  it('wrong text: a field error in the ack, no approval', async () => {
    const sent = await submitConfirm('orders-prd');
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toEqual({ response_action: 'errors', errors: { [INPUT_IDS.confirmTextBlock]: 'Type exactly "orders-prod" to approve.' } });
    expect(engine.called('approve')).toEqual([]);
  });

  it('right text: the engine approves with the typed text, the ack closes the modal', async () => {
    const sent = await submitConfirm(' orders-prod ');
    expect(sent).toMatchObject({ status: 200, body: '' });
    expect(engine.called('approve')).toEqual([[ref, 'U0DBA', 'orders-prod']]);
  });

  it('an engine refusal shows under the input', async () => {
    engine.failures.set('approve', new PreconditionFailedError('step flip was approved by <@U0B> at 13:01:00 UTC.'));
    const sent = await submitConfirm('orders-prod');
    expect(JSON.parse(sent.body).errors[INPUT_IDS.confirmTextBlock]).toContain('approved by <@U0B>');
  });

  it('forged private_metadata gets a field error and no engine call', async () => {
    const sent = await h.send(viewBody(VIEW_IDS.approveConfirmText, '{"runId":1}', INPUT_IDS.confirmTextBlock, INPUT_IDS.confirmTextAction, 'orders-prod'));
    expect(JSON.parse(sent.body).response_action).toBe('errors');
    expect(engine.calls).toEqual([]);
  });
});

describe('skip', () => {
  it('checks can.skip, then opens the reason modal', async () => {
    await h.send(actionBody(ACTION_IDS.skip, stepRefValue(ref), h.responseUrl));
    const open = await waitFor(() => h.api.find((c) => c.method === 'views.open'));
    expect(engine.called('checkSkip')).toEqual([[ref, 'U0DBA']]);
    expect(open.params.trigger_id).toBe('1234.5678.trigger');
    expect(JSON.parse(open.params.view!).callback_id).toBe(VIEW_IDS.skipReason);
  });

  it('the submission skips with the reason; a blank reason is a field error', async () => {
    const blank = await submitSkip('  ');
    expect(JSON.parse(blank.body).errors[INPUT_IDS.skipReasonBlock]).toContain('why');
    expect(engine.called('skip')).toEqual([]);
    const ok = await submitSkip('copied by hand, verified counts');
    expect(ok.body).toBe('');
    expect(engine.called('skip')).toEqual([[ref, 'U0DBA', 'copied by hand, verified counts']]);
  });
});
