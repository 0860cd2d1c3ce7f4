// The card of a timed run: phase headers, times in each reader's zone, next due step with its
// countdown, late steps flagged, after-window steps with their dates; within Block Kit limits
// for a 60-step, 6-phase plan, finished phases summarised when the lines do not fit.
import { describe, expect, it } from 'vitest';
import type { Run, StepState } from '../../src/engine/types.js';
import { runCard } from '../../src/slack/blocks/index.js';
import { allText, checkBlocks } from '../support/block-limits.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const H = 3_600_000;
const PHASES = ['announce', 'prepare', 'rehearse', 'window', 'verify', 'decommission'];

function bigPlan(nameLength: number, finishedPhases: number): Run {
  const steps: StepState[] = [];
  const specs: Run['runbook']['steps'] = [];
  for (let p = 0; p < 6; p++) {
    for (let k = 0; k < 10; k++) {
      const i = p * 10 + k;
      const id = `s${i}`;
      const due = T0 + (p - 3) * 24 * H + k * H;
      const finished = p < finishedPhases;
      steps.push(makeStep(id, { name: `${'Long step name '.repeat(nameLength)}${i}`, due, status: finished ? 'done' : 'pending', ...(finished ? { startedAt: due, endedAt: due + 1000 } : {}), ...(p === 5 ? { afterWindow: true } : {}), ...(i === 3 ? { late: 90_000 } : {}) }));
      specs.push({ id, uses: 'shell', with: {}, retries: 0, on_failure: 'pause', at: `T${p < 3 ? '-' : '+'}${Math.abs(p - 3) * 24 + (p < 3 ? -k : k)}h`, phase: PHASES[p], owner: 'dba' });
    }
  }
  return makeRun({ steps, status: 'running', plan: { t0: T0, gen: 1, plannedBy: 'U0LEAD', locked: false }, runbook: { ...makeRun().runbook, steps: specs } });
}

describe('timed run card', () => {
  it('groups by phase, shows times, owners, the next due step with its countdown, late steps and after-window dates', () => {
    const run = bigPlan(1, 3);
    const card = runCard(run, T0 - 1000);
    expect(checkBlocks(card.blocks)).toEqual([]);
    const text = allText(card.blocks);
    for (const p of ['window', 'verify', 'after the window · decommission']) expect(text).toContain(`*${p}*`);
    expect(text).toContain(`<!date^${T0 / 1000}^`);
    expect(text).toContain('<@U0DBA>');
    expect(text).toMatch(/Next: \*Long step name 30\* .* \(in 1s\)/);
    expect(text).toMatch(/started 1m30s late/);
    expect(text).toMatch(/Late: Long step name 3 \(1m30s\)/);
    expect(text).toContain(`<!date^${(T0 + 2 * 24 * H) / 1000}^`); // the first after-window step's date
  });

  it('a 60-step, 6-phase plan with long names stays within the limits by summarising finished phases', () => {
    const run = bigPlan(12, 4);
    const card = runCard(run, T0 + 25 * H);
    expect(checkBlocks(card.blocks)).toEqual([]);
    const text = allText(card.blocks);
    expect(text).toMatch(/\*announce\*: 10 steps finished/);
    expect(text).toContain('Long step name '.repeat(12) + '59'); // unfinished steps still listed in full
  });
});
