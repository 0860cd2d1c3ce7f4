import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionDeniedError } from '../../src/errors.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { buttons } from '../support/block-limits.js';
import { FakeEngine } from '../support/fake-engine.js';
import { makeRun, makeStep } from '../support/run-fixture.js';
import { startHarness, waitFor, type Harness } from '../support/slack-harness.js';
import { commandBody } from '../support/slack-payloads.js';

let engine: FakeEngine;
let h: Harness;

beforeEach(async () => {
  engine = new FakeEngine(makeRun({ status: 'paused', steps: [makeStep('a', { status: 'done' }), makeStep('b', { status: 'failed' })] }));
  h = await startHarness(engine);
});
afterEach(() => h.close());

const rollback = (text: string) => h.send(commandBody('/rollback', text, h.responseUrl, 'U0LEAD', 'C0CUTOVER'));
const reply = () => waitFor(() => h.responses[0]) as Promise<{ text: string; blocks?: unknown[]; response_type: string }>;

describe('/rollback', () => {
  it('without a run id: authorizes the channel\'s active run and offers one danger button (the reply is the confirmation)', async () => {
    const sent = await rollback('');
    expect(sent).toMatchObject({ status: 200, body: '' });
    const r = await reply();
    expect(r.response_type).toBe('ephemeral');
    expect(engine.called('activeRun')).toEqual([['C0CUTOVER']]);
    expect(engine.called('checkRollback')).toEqual([['r-20261122-abc', 'U0LEAD']]);
    expect(engine.called('rollback')).toEqual([]);
    const [b] = buttons(r.blocks ?? []);
    expect(b).toMatchObject({ action_id: ACTION_IDS.rollbackConfirm, style: 'danger' });
    expect(b!.confirm).toBeUndefined(); // one confirmation, not two
    expect(JSON.parse(b!.value as string)).toEqual({ runId: 'r-20261122-abc', reason: 'requested with /rollback' });
  });

  it('with a run id and a reason', async () => {
    await rollback('r-20261122-abc p99 latency doubled');
    const [b] = buttons((await reply()).blocks ?? []);
    expect(JSON.parse(b!.value as string)).toEqual({ runId: 'r-20261122-abc', reason: 'p99 latency doubled' });
  });

  it('someone not allowed gets the reason and no button', async () => {
    engine.failures.set('checkRollback', new PermissionDeniedError('only *dba* may roll back db-cutover'));
    await rollback('');
    const r = await reply();
    expect(r.text).toBe(":no_entry: You can't do that: only *dba* may roll back db-cutover");
    expect(buttons(r.blocks ?? [])).toEqual([]);
  });

  it('no active run in the channel: a polite answer', async () => {
    engine.runs.clear();
    await rollback('');
    expect((await reply()).text).toContain('no active run in this channel');
    expect(engine.called('checkRollback')).toEqual([]);
  });
});

describe('/rollback --to', () => {
  it('passes the step to the engine and carries it on the button', async () => {
    engine.runs.get('r-20261122-abc')!.steps[0]!.endedAt = Date.UTC(2026, 10, 22, 13);
    await rollback('r-20261122-abc --to a flip went wrong');
    const r = await reply();
    expect(engine.called('checkRollback')).toEqual([['r-20261122-abc', 'U0LEAD', 'a']]);
    const [b] = buttons(r.blocks ?? []);
    expect(JSON.parse(b!.value as string)).toEqual({ runId: 'r-20261122-abc', reason: 'flip went wrong', to: 'a' });
    expect(r.text).toContain('back to after *a*');
  });

  it('a --to without a step id, or an unknown flag, gets the usage and no rollback', async () => {
    await rollback('--to');
    expect((await reply()).text).toContain('Usage: `/rollback [run] [--to &lt;step&gt;] [reason]`');
    expect(engine.called('checkRollback')).toEqual([]);
  });
});
