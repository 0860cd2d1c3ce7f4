import { describe, expect, it } from 'vitest';
import { approval } from '../../src/steps/approval.js';
import { ApprovalSignal, rejection, runStep } from '../support/step-context.js';

describe('approval', () => {
  it('asks the engine for approval with defaults', async () => {
    const err = await rejection(runStep(approval, { prompt: 'Switch DNS?' }), ApprovalSignal);
    expect(err).toBeInstanceOf(ApprovalSignal);
    expect((err as ApprovalSignal).request).toEqual({ prompt: 'Switch DNS?', approvers: ['lead'], min: 1, allowSelf: false });
  });

  it('fixes the expiry once: a re-run keeps the first deadline', async () => {
    const checkpoints = new Map<string, unknown>();
    const input = { prompt: 'Open sign-ups?', approvers: ['lead', 'U0CTO'], min: 2, allow_self: true, confirm_text: 'restarters.net', timeout: '30m' };
    const first = await rejection(runStep(approval, input, { checkpoints, now: () => 1_000_000 }), ApprovalSignal);
    const again = await rejection(runStep(approval, input, { checkpoints, now: () => 5_000_000 }), ApprovalSignal);
    expect(first.request).toEqual({ prompt: 'Open sign-ups?', approvers: ['lead', 'U0CTO'], min: 2, allowSelf: true, confirmText: 'restarters.net', expiresAt: 1_000_000 + 30 * 60_000 });
    expect(again.request.expiresAt).toBe(first.request.expiresAt);
  });

  it('rejects a bad min or timeout', () => {
    expect(() => approval.input.parse({ prompt: 'x', min: 0 })).toThrow();
    expect(() => approval.input.parse({ prompt: 'x', timeout: 'half an hour' })).toThrow(/duration/);
  });
});

