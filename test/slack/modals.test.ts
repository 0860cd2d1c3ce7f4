import { describe, expect, it } from 'vitest';
import { INPUT_IDS, VIEW_IDS } from '../../src/slack/action-ids.js';
import { confirmTextModal, skipReasonModal } from '../../src/slack/blocks/index.js';
import { ModalMeta, parseValue, RunValue, StepRefValue, stepRefValue } from '../../src/slack/blocks/values.js';
import { allText, checkModal } from '../support/block-limits.js';
import { makeStep, runWithStep } from '../support/run-fixture.js';

const approval = { prompt: 'Flip prod?', approvers: ['U0A'], min: 1, allowSelf: false, approvals: [], confirmText: 'orders-prod' };

describe('modals', () => {
  it('confirmTextModal asks for the exact text and carries the step ref', () => {
    const step = makeStep('a-very-long-step-id-that-overflows', { status: 'awaiting_approval', attempt: 3, approval });
    const view = confirmTextModal(runWithStep(step, { dryRun: true }), step, 'C1');
    expect(view.callback_id).toBe(VIEW_IDS.approveConfirmText);
    expect(checkModal(view as never)).toEqual([]);
    expect(allText(view.blocks)).toContain('Type "orders-prod" to approve');
    expect(allText(view.blocks)).toContain('DRY RUN');
    expect(view.blocks.some((b) => b.type === 'input' && b.block_id === INPUT_IDS.confirmTextBlock)).toBe(true);
    expect(parseValue(ModalMeta, view.private_metadata)).toEqual({ runId: 'r-20261122-abc', stepId: step.id, attempt: 3, channel: 'C1' });
  });

  it('confirmTextModal refuses a step without confirm text', () => {
    const step = makeStep('go', { status: 'awaiting_approval' });
    expect(() => confirmTextModal(runWithStep(step), step)).toThrow(/no confirm text/);
  });

  it('skipReasonModal has a required reason input', () => {
    const step = makeStep('copy', { status: 'failed' });
    const view = skipReasonModal(runWithStep(step), step);
    expect(view.callback_id).toBe(VIEW_IDS.skipReason);
    expect(checkModal(view as never)).toEqual([]);
    const input = view.blocks.find((b) => b.type === 'input');
    expect(input).toMatchObject({ block_id: INPUT_IDS.skipReasonBlock, element: { action_id: INPUT_IDS.skipReasonAction } });
    expect(input).not.toHaveProperty('optional', true);
  });
});

describe('button values', () => {
  it('round-trip the step ref and reject anything else', () => {
    const ref = { runId: 'r|1', stepId: 'copy', attempt: 2 };
    expect(parseValue(StepRefValue, stepRefValue(ref))).toEqual(ref);
    expect(parseValue(StepRefValue, 'r|copy|2')).toBeNull();
    expect(parseValue(StepRefValue, '{"runId":"r","stepId":"s","attempt":"2"}')).toBeNull();
    expect(parseValue(StepRefValue, undefined)).toBeNull();
    expect(parseValue(RunValue, '{"runId":""}')).toBeNull();
  });
});

describe('truncation', () => {
  it('never splits an emoji and keeps within the limit', async () => {
    const { cut, cutStart } = await import('../../src/slack/blocks/kit.js');
    const text = '😀'.repeat(10);
    for (let max = 2; max < 20; max++) {
      for (const out of [cut(text, max), cutStart(text, max)]) {
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }
    }
    expect(cut('abc', 3)).toBe('abc');
    expect(cutStart('line1\nline2', 6)).toBe('…line2');
  });
});
