// The builders' output against the Slack emulator's Block Kit validator (a second, independent
// reading of reference §5), over every step state and a large run.
import { describe, expect, it } from 'vitest';
import { formatBlockKitError, validateMessageBlocks, validateView } from '../../emulator/block-kit.js';
import type { StepStatus } from '../../src/engine/types.js';
import {
  confirmTextModal, listReply, rollbackConfirm, rollbackMessage, runCard, skipReasonModal, statusReply, stepMessage,
} from '../../src/slack/blocks/index.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const STATES: StepStatus[] = ['pending', 'running', 'waiting', 'awaiting_approval', 'done', 'failed', 'skipped', 'in_doubt', 'aborted', 'undoing', 'undone', 'undo_failed'];
const errors = (blocks: unknown) => validateMessageBlocks(blocks).map(formatBlockKitError);
const long = (n: number) => 'λ<&>'.repeat(n);

function bigRun() {
  const steps = Array.from({ length: 60 }, (_, i) => makeStep(`step-${i}`, {
    status: STATES[i % STATES.length]!, attempt: i, startedAt: T0, endedAt: T0 + i * 1000, waitUntil: T0 + 600_000,
    summary: long(2000), error: long(2000), note: long(2000), outputTail: long(5000), evidence: Array(30).fill(long(200)),
    approval: { prompt: long(1000), approvers: Array(40).fill('U0APPROVER'), min: 2, allowSelf: false, confirmText: i % 2 ? 'prod' : undefined, approvals: Array(12).fill({ user: 'U0A', at: T0 }) },
    skipped: { user: 'U0S', at: T0, reason: long(1000) },
    undo: { status: 'failed', startedAt: T0, summary: long(500), error: long(1000) },
  }));
  return makeRun({ steps, status: 'paused', dryRun: true, rollback: { requestedBy: 'U0RB', at: T0, reason: long(2000), order: steps.map((s) => s.id), cursor: 0 } });
}

describe('builders pass the emulator\'s Block Kit validation', () => {
  const run = bigRun();
  it('run card, rollback summary and every step message of a 60-step run', () => {
    expect(errors(runCard(run, T0).blocks)).toEqual([]);
    expect(errors(rollbackMessage(run, T0).blocks)).toEqual([]);
    for (const s of run.steps) expect(errors(stepMessage(run, s.id, T0).blocks), s.status).toEqual([]);
  });

  it('replies and modals', () => {
    expect(errors(rollbackConfirm(run, long(3000)).blocks)).toEqual([]);
    expect(errors(statusReply(null, Array(20).fill(run), T0).blocks)).toEqual([]);
    expect(errors(listReply(Array.from({ length: 300 }, (_, i) => ({ name: `rb-${i}`, file: 'f.yml', error: long(400) }))).blocks)).toEqual([]);
    const step = run.steps[3]!;
    expect(validateView(confirmTextModal(run, { ...step, approval: { ...step.approval!, confirmText: 'prod' } })).map(formatBlockKitError)).toEqual([]);
    expect(validateView(skipReasonModal(run, step)).map(formatBlockKitError)).toEqual([]);
  });
});
