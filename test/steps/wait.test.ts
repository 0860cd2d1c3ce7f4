import { describe, expect, it } from 'vitest';
import { wait } from '../../src/steps/wait.js';
import { WaitSignal, rejection, runStep } from '../support/step-context.js';

describe('wait', () => {
  it('asks to be re-run at the deadline, fixed once, and completes when it has passed', async () => {
    let now = 1_000_000;
    const checkpoints = new Map<string, unknown>();
    const first = await rejection(runStep(wait, { for: '5m' }, { checkpoints, now: () => now }), WaitSignal);
    expect(first).toBeInstanceOf(WaitSignal);
    expect(first.at).toBe(1_000_000 + 300_000);
    now += 60_000; // an early re-run (a restart) does not move the deadline
    expect((await rejection(runStep(wait, { for: '5m' }, { checkpoints, now: () => now }), WaitSignal)).at).toBe(first.at);
    now = first.at;
    const done = await runStep(wait, { for: '5m' }, { checkpoints, now: () => now });
    expect(done.summary).toBe('waited 5m');
    expect(done.outputs).toEqual({ deadline: new Date(first.at).toISOString() });
  });

  it('waits until an ISO time with a zone; a past time completes at once', async () => {
    const future = await rejection(runStep(wait, { until: '2026-05-05T13:00:00+01:00' }, { now: () => Date.parse('2026-05-05T11:55:00Z') }), WaitSignal);
    expect(future.at).toBe(Date.parse('2026-05-05T12:00:00Z'));
    const past = await runStep(wait, { until: '2026-05-05T13:00:00+01:00' }, { now: () => Date.parse('2026-05-05T12:30:00Z') });
    expect(past.summary).toBe('2026-05-05T13:00:00+01:00 had already passed');
  });

  it('needs exactly one of for/until, and a zone on until', () => {
    expect(() => wait.input.parse({})).toThrow(/exactly one/);
    expect(() => wait.input.parse({ for: '5m', until: '2026-05-05T13:00:00Z' })).toThrow(/exactly one/);
    expect(() => wait.input.parse({ until: '2026-05-05T13:00:00' })).toThrow();
    expect(wait.describe(wait.input.parse({ for: '5m' }))).toBe('wait 5m (a dry run does not sit through waits)');
  });

});
