// Drift since the rehearsal, as data: which steps changed, were added or removed.
import { expect, it } from 'vitest';
import { describeDrift, driftSince, rehearsalRecord, SETTINGS } from '../../src/engine/drift.js';
import { makeRun, makeStep } from '../support/run-fixture.js';

const rehearsed = makeRun({ dryRun: true, status: 'rehearsed', endedAt: Date.UTC(2026, 10, 22, 14), steps: [makeStep('a'), makeStep('b'), makeStep('c')] });
const record = rehearsalRecord(rehearsed);

it('finds no drift for the same file, every step when there was no rehearsal', () => {
  expect(driftSince(record, rehearsed.runbook, rehearsed.hash)).toBeNull();
  expect(driftSince(null, rehearsed.runbook, 'x')).toEqual({ changed: ['a', 'b', 'c'] });
  expect(describeDrift({ changed: ['a'] })).toBe('This runbook was never rehearsed (no successful dry run).');
});

it('names changed, added and removed steps, and changed settings', () => {
  const rb = structuredClone(rehearsed.runbook);
  rb.steps[1]!.with = { run: 'echo changed' };
  rb.steps.splice(2, 1, { id: 'd', uses: 'wait', with: { for: '1s' }, retries: 0, on_failure: 'pause' });
  rb.title = 'New title';
  const d = driftSince(record, rb, 'other-hash')!;
  expect(d.changed).toEqual([SETTINGS, 'b', 'd', 'c (removed)']);
  expect(describeDrift(d)).toBe(`The runbook changed since the last rehearsal (run ${rehearsed.id}, 2026-11-22 14:00 UTC): (runbook settings), b, d, c (removed).`);
  expect(driftSince(record, rehearsed.runbook, 'reformatted')!.changed).toEqual([]);
});
