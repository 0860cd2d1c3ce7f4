// Every (state, event) pair of the run and step machines, legal and illegal. The expected
// table is written out here, apart from the implementation: a change to the machine must
// change this table too, on purpose.
import { describe, expect, it } from 'vitest';
import {
  IllegalTransitionError, moveRun, moveStep, RUN_STATUSES, STEP_STATUSES, transition,
  type RunEvent, type StepEvent,
} from '../../src/engine/state-machine.js';
import type { RunStatus, StepStatus } from '../../src/engine/types.js';
import { makeStep } from '../support/run-fixture.js';

const ROLLBACKABLE: RunStatus[] = ['after_window', 'running', 'paused', 'watching', 'succeeded', 'rehearsed', 'failed', 'aborted', 'partially_rolled_back', 'rollback_failed'];

const RUN_TABLE: Array<{ event: RunEvent; from: RunStatus[]; to: RunStatus }> = [
  { event: { type: 'begin' }, from: ['planned'], to: 'running' },
  { event: { type: 'cancel' }, from: ['planned', 'running', 'paused'], to: 'cancelled' },
  { event: { type: 'finish_after' }, from: ['after_window', 'running'], to: 'succeeded' },
  { event: { type: 'complete', dryRun: false, afterWindow: true }, from: ['running'], to: 'after_window' },
  { event: { type: 'complete', dryRun: true, afterWindow: true }, from: ['running'], to: 'rehearsed' },
  { event: { type: 'close_watch', afterWindow: true }, from: ['watching'], to: 'after_window' },
  { event: { type: 'pause' }, from: ['running', 'after_window'], to: 'paused' },
  { event: { type: 'resume' }, from: ['running', 'paused'], to: 'running' },
  { event: { type: 'complete', dryRun: false }, from: ['running'], to: 'succeeded' },
  { event: { type: 'complete', dryRun: true }, from: ['running'], to: 'rehearsed' },
  { event: { type: 'open_watch' }, from: ['running'], to: 'watching' },
  { event: { type: 'close_watch' }, from: ['watching'], to: 'succeeded' },
  { event: { type: 'abort' }, from: ['planned', 'running', 'paused', 'watching', 'after_window'], to: 'aborted' },
  { event: { type: 'rollback' }, from: ROLLBACKABLE, to: 'rolling_back' },
  { event: { type: 'pause_rollback' }, from: ['rolling_back'], to: 'rollback_paused' },
  { event: { type: 'resume_rollback' }, from: ['rollback_paused'], to: 'rolling_back' },
  { event: { type: 'finish_rollback', stillApplied: 0, undoFailed: false }, from: ['rolling_back'], to: 'rolled_back' },
  { event: { type: 'finish_rollback', stillApplied: 2, undoFailed: false }, from: ['rolling_back'], to: 'partially_rolled_back' },
  { event: { type: 'finish_rollback', stillApplied: 1, undoFailed: true }, from: ['rolling_back'], to: 'rollback_failed' },
];

const STEP_TABLE: Array<{ event: StepEvent; from: StepStatus[]; to: StepStatus }> = [
  { event: { type: 'start' }, from: ['pending', 'running', 'waiting'], to: 'running' },
  { event: { type: 'wait' }, from: ['running'], to: 'waiting' },
  { event: { type: 'await_approval' }, from: ['running'], to: 'awaiting_approval' },
  { event: { type: 'finish' }, from: ['running', 'waiting'], to: 'done' },
  { event: { type: 'approve' }, from: ['awaiting_approval'], to: 'done' },
  { event: { type: 'mark_done' }, from: ['in_doubt'], to: 'done' },
  { event: { type: 'fail' }, from: ['pending', 'running', 'waiting', 'awaiting_approval'], to: 'failed' },
  { event: { type: 'in_doubt' }, from: ['running'], to: 'in_doubt' },
  { event: { type: 'abort' }, from: ['running', 'waiting', 'awaiting_approval'], to: 'aborted' },
  { event: { type: 'skip_condition' }, from: ['pending'], to: 'skipped' },
  { event: { type: 'skip' }, from: ['failed', 'in_doubt'], to: 'skipped' },
  { event: { type: 'cancel' }, from: ['pending'], to: 'skipped' },
  { event: { type: 'retry' }, from: ['pending', 'running', 'waiting', 'failed', 'in_doubt'], to: 'pending' },
  { event: { type: 'undo_start' }, from: ['done', 'in_doubt', 'undo_failed', 'undo_skipped'], to: 'undoing' },
  { event: { type: 'undo_wait_human' }, from: ['undoing'], to: 'undo_waiting' },
  { event: { type: 'undo_done' }, from: ['undoing', 'undo_waiting'], to: 'undone' },
  { event: { type: 'undo_fail' }, from: ['undoing'], to: 'undo_failed' },
  { event: { type: 'undo_skip' }, from: ['undo_failed', 'undo_waiting'], to: 'undo_skipped' },
  { event: { type: 'mark_undone' }, from: ['undo_failed', 'undo_waiting'], to: 'undone' },
];

const TERMINAL: RunStatus[] = ['cancelled', 'succeeded', 'rehearsed', 'failed', 'aborted', 'rolled_back', 'partially_rolled_back', 'rollback_failed'];

describe('run machine: every (state, event) pair', () => {
  for (const row of RUN_TABLE) {
    for (const state of RUN_STATUSES) {
      const legal = row.from.includes(state);
      it(`${state} + ${JSON.stringify(row.event)} → ${legal ? row.to : 'refused'}`, () => {
        const t = transition({ run: state }, row.event);
        if (!legal) {
          expect(t).toEqual({ ok: false, reason: expect.stringContaining(`a run that is ${state} cannot`) });
          return;
        }
        expect(t).toMatchObject({ ok: true, state: row.to });
        const kinds = t.ok ? t.effects.map((e) => e.kind) : [];
        // Entering an end state releases the run; leaving one (a rollback) reactivates it.
        expect(kinds.includes('ended')).toBe(TERMINAL.includes(row.to));
        expect(kinds.includes('reopened')).toBe(TERMINAL.includes(state) && !TERMINAL.includes(row.to));
      });
    }
  }
  it('the table covers every event type and every status', () => {
    expect(new Set(RUN_TABLE.map((r) => r.event.type)).size).toBe(13);
    expect([...RUN_STATUSES].sort()).toEqual([...new Set([...RUN_TABLE.flatMap((r) => [...r.from, r.to]), 'failed'])].sort());
  });
});

describe('step machine: every (state, event) pair', () => {
  for (const row of STEP_TABLE) {
    for (const state of STEP_STATUSES) {
      const legal = row.from.includes(state);
      it(`${state} + ${row.event.type} → ${legal ? row.to : 'refused'}`, () => {
        const t = transition({ step: state }, row.event);
        if (legal) expect(t).toMatchObject({ ok: true, state: row.to });
        else expect(t).toEqual({ ok: false, reason: expect.stringContaining(`a step that is ${state} cannot`) });
      });
    }
  }
  it('the table covers every event type and every status', () => {
    expect(new Set(STEP_TABLE.map((r) => r.event.type)).size).toBe(19);
    expect([...STEP_STATUSES].sort()).toEqual([...new Set(STEP_TABLE.flatMap((r) => [...r.from, r.to]))].sort());
  });
});

describe('applying a move to a record', () => {
  it('an illegal move throws a clear refusal and changes nothing', () => {
    const run = { id: 'r1', status: 'rolled_back' as RunStatus, endedAt: 5 };
    expect(() => moveRun(run, { type: 'finish_rollback', stillApplied: 0, undoFailed: false }, 9)).toThrow(IllegalTransitionError);
    expect(() => moveRun(run, { type: 'rollback' }, 9)).toThrow('run r1: a run that is rolled_back cannot rollback');
    expect(run).toEqual({ id: 'r1', status: 'rolled_back', endedAt: 5 });
    const step = makeStep('flip-dns', { status: 'undone' });
    expect(() => moveStep(step, { type: 'undo_start' }, 9)).toThrow('step flip-dns: a step that is undone cannot undo start');
    expect(step.status).toBe('undone');
  });

  it('stamps times: a run ends and reopens; a step starts once and ends', () => {
    const run = { id: 'r1', status: 'running' as RunStatus, endedAt: undefined as number | undefined };
    moveRun(run, { type: 'complete', dryRun: true }, 10);
    expect(run).toMatchObject({ status: 'rehearsed', endedAt: 10 });
    moveRun(run, { type: 'rollback' }, 20);
    expect(run).toMatchObject({ status: 'rolling_back', endedAt: undefined });
    const s = makeStep('a');
    moveStep(s, { type: 'start' }, 1);
    moveStep(s, { type: 'start' }, 2); // a re-delivery keeps the first start
    moveStep(s, { type: 'finish' }, 3);
    expect(s).toMatchObject({ status: 'done', startedAt: 1, endedAt: 3 });
  });

  it('undo moves keep the undo record in step and count its attempts', () => {
    const s = makeStep('flip-dns', { status: 'done', endedAt: 3 });
    moveStep(s, { type: 'undo_start' }, 10);
    expect(s.undo).toMatchObject({ status: 'running', attempt: 1, startedAt: 10 });
    moveStep(s, { type: 'undo_fail' }, 11);
    expect(s).toMatchObject({ status: 'undo_failed', undo: { status: 'failed', endedAt: 11 } });
    moveStep(s, { type: 'undo_start' }, 12);
    expect(s.undo).toMatchObject({ status: 'running', attempt: 2 });
    moveStep(s, { type: 'undo_wait_human' }, 13);
    moveStep(s, { type: 'undo_skip' }, 14);
    expect(s).toMatchObject({ status: 'undo_skipped', endedAt: 3, undo: { status: 'skipped' } });
  });
});

describe('no other file assigns a run or step status', () => {
  it('src/ sets run and step statuses only in state-machine.ts', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const src = path.resolve(__dirname, '../../src');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []);
    const names = [...new Set<string>([...RUN_STATUSES, ...STEP_STATUSES])].join('|');
    const literal = new RegExp(`status\\s*(?:=|:)\\s*'(?:${names})'`);
    const assign = /\b(?:r|run|s|st|step|started)\.status\s*=[^=]/;
    const offenders = walk(src)
      .filter((f) => !f.endsWith(path.join('engine', 'state-machine.ts')))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((line, i) => ({ f, i, line })))
      .filter(({ line }) => literal.test(line) || assign.test(line))
      .map(({ f, i, line }) => `${path.relative(src, f)}:${i + 1}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
