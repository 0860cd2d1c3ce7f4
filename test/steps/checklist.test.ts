// checklist: its input (lint), and the pure rules of ticking (engine/checklist.ts): who may tick,
// N/A needs a reason, notes when asked, completion by required items, evidence of who and when.
import { describe, expect, it } from 'vitest';
import { applyTick, checklistResult, mayTick } from '../../src/engine/checklist.js';
import type { ApprovalState } from '../../src/engine/types.js';
import { PermissionDeniedError, PreconditionFailedError } from '../../src/errors.js';
import { validateRunbook } from '../../src/runbooks/validate.js';
import { checklist } from '../../src/steps/checklist.js';
import { ApprovalSignal, rejection, runStep } from '../support/step-context.js';
import { makeRun, T0 } from '../support/run-fixture.js';

const items = [
  { id: 'backup', text: 'Backup taken', owner: 'dba', required: true },
  { id: 'mail', text: 'Reset mail arrives', owner: 'U0QA', required: true },
  { id: 'extra', text: 'Nice to have', owner: 'dba', required: false },
];
const state = (noteRequired = false): ApprovalState => ({ prompt: 'Checklist', approvers: ['dba', 'lead'], min: 1, allowSelf: true, approvals: [], checklist: { items, noteRequired } });
const run = () => {
  const r = makeRun();
  r.runbook.roles = { dba: ['U0DBA'], lead: ['U0LEAD'] };
  return r;
};

describe('checklist rules', () => {
  it('lets the owner (role or user id) or the lead tick, and nobody else', () => {
    const a = state();
    expect(() => mayTick(run(), a, 'backup', 'U0DBA')).not.toThrow();
    expect(() => mayTick(run(), a, 'backup', 'U0LEAD')).not.toThrow();
    expect(() => mayTick(run(), a, 'mail', 'U0QA')).not.toThrow();
    expect(() => mayTick(run(), a, 'mail', 'U0DBA')).toThrow(PermissionDeniedError);
    expect(() => mayTick(run(), a, 'backup', 'U0QA')).toThrow(/Only dba or the lead may tick "backup"/);
    expect(() => mayTick(run(), a, 'nope', 'U0LEAD')).toThrow(PreconditionFailedError);
  });

  it('needs a reason for N/A and a note for Done when asked; ticks once; completes on required items', () => {
    const a = state(true);
    expect(() => applyTick(a, 'backup', 'U0DBA', { state: 'na', reason: '  ' }, T0)).toThrow(/Say why/);
    expect(() => applyTick(a, 'backup', 'U0DBA', { state: 'done' }, T0)).toThrow(/note with every tick/);
    expect(applyTick(a, 'backup', 'U0DBA', { state: 'done', note: 'restored to staging' }, T0)).toBe(false);
    expect(() => applyTick(a, 'backup', 'U0LEAD', { state: 'done', note: 'again' }, T0)).toThrow(/already ticked done by <@U0DBA>/);
    expect(applyTick(a, 'mail', 'U0QA', { state: 'na', reason: 'mail goes through Resend now' }, T0 + 60_000)).toBe(true);
    const result = checklistResult(a);
    expect(result.summary).toBe('Checklist complete: 1 done, 1 N/A, 1 optional left open');
    expect(result.evidence).toEqual([
      'backup: done by U0DBA at 2026-11-22T13:00:00.000Z (restored to staging)',
      'mail: N/A by U0QA at 2026-11-22T13:01:00.000Z (mail goes through Resend now)',
      'extra: left open (optional)',
    ]);
    expect(result.outputs.items).toEqual({
      backup: { state: 'done', by: 'U0DBA', at: '2026-11-22T13:00:00.000Z', note: 'restored to staging' },
      mail: { state: 'na', by: 'U0QA', at: '2026-11-22T13:01:00.000Z', note: 'mail goes through Resend now' },
      extra: { state: 'open' },
    });
  });
});

describe('checklist step', () => {
  it('waits for humans with its items, owners and the lead as possible tickers', async () => {
    const signal = await rejection(runStep(checklist, { items: [{ id: 'a', text: 'A', owner: 'dba' }, { id: 'b', text: 'B', owner: 'U0QA', required: false }] }), ApprovalSignal);
    expect(signal.request.checklist).toEqual({ items: [{ id: 'a', text: 'A', owner: 'dba', required: true }, { id: 'b', text: 'B', owner: 'U0QA', required: false }], noteRequired: false });
    expect(signal.request.approvers).toEqual(['dba', 'U0QA', 'lead']);
  });

  it('is linted: unknown owners, duplicate ids, no required item, unknown reviewing role', () => {
    const problems = (steps: unknown[]) => {
      try {
        validateRunbook({ name: 'x', channel: 'C0CUTOVER', roles: { lead: ['U0LEAD'], comms: ['U0COMMS'] }, steps });
        return [];
      } catch (e) {
        return (e as { problems: string[] }).problems;
      }
    };
    expect(problems([{ id: 'c', uses: 'checklist', with: { items: [{ id: 'a', text: 'A', owner: 'dbas' }] } }])).toEqual([expect.stringMatching(/steps\[0\]\.with\.items\[0\]\.owner: "dbas" is neither a role/)]);
    expect(problems([{ id: 'c', uses: 'checklist', with: { items: [{ id: 'a', text: 'A', owner: 'lead' }, { id: 'a', text: 'B', owner: 'lead' }] } }])).toEqual([expect.stringMatching(/items\[1\]\.id: duplicate item id "a"/)]);
    expect(problems([{ id: 'c', uses: 'checklist', with: { items: [{ id: 'a', text: 'A', owner: 'lead', required: false }] } }])).toEqual([expect.stringMatching(/at least one item must be required/)]);
    expect(problems([{ id: 'n', uses: 'notify', with: { text: 'hi', review: 'marketing' } }])).toEqual([expect.stringMatching(/with\.review: "marketing" is neither a role/)]);
    expect(problems([
      { id: 'm', uses: 'notify', with: { text: 'x' }, undo: { uses: 'checklist', with: { items: [{ id: 'undone', text: 'Undone by hand', owner: 'comms' }] } } },
      { id: 'n', uses: 'notify', with: { text: 'hi', review: 'comms' } },
    ])).toEqual([]);
  });
});
