// The rehearsal classification and summary (issue 6 §3), on run records: pure functions.
import { expect, it } from 'vitest';
import { liveOnlyReason, notRehearsedReason, rehearsalSummary } from '../../src/engine/rehearsal.js';
import { runScope } from '../../src/engine/scope.js';
import type { Step } from '../../src/runbooks/schema.js';
import { makeRun, makeStep } from '../support/run-fixture.js';

const spec = (s: Partial<Step> & { id: string }): Step => ({ uses: 'shell', with: {}, retries: 0, on_failure: 'pause', ...s });

it('counts how each step took part: ran, described, not rehearsed, skipped by hand', () => {
  const run = makeRun({
    dryRun: true,
    status: 'rehearsed',
    steps: [
      ...Array.from({ length: 29 }, (_, i) => makeStep(`ok-${i}`, { status: 'done', rehearsal: 'ran' })),
      ...Array.from({ length: 3 }, (_, i) => makeStep(`desc-${i}`, { status: 'done', rehearsal: 'described' })),
      makeStep('smoke', { status: 'skipped', rehearsal: 'not_rehearsed', note: 'not rehearsed: depends on deploy' }),
    ],
  });
  expect(rehearsalSummary(run)).toBe('rehearsed: 29 ran, 3 described, 1 not rehearsed, 0 skipped by hand');
  run.steps.push(
    makeStep('by-hand', { status: 'skipped', skipped: { user: 'U0LEAD', at: 1, reason: 'later' } }),
    makeStep('cond', { status: 'skipped', note: 'condition false: vars.x' }),
    makeStep('soft', { status: 'failed' }),
  );
  expect(rehearsalSummary(run)).toBe('rehearsed: 29 ran, 3 described, 1 not rehearsed, 1 skipped by hand, 1 skipped (condition false), 1 failed');
});

it('a check needing an effect is not rehearsed unless that step ran for real', () => {
  const steps = [makeStep('deploy', { status: 'done', rehearsal: 'described' }), makeStep('probe', { status: 'done', rehearsal: 'ran' }), makeStep('check')];
  const run = makeRun({ dryRun: true, steps });
  expect(notRehearsedReason(run, spec({ id: 'check', needs_effect_of: 'deploy' }))).toBe('not rehearsed: depends on deploy');
  expect(notRehearsedReason(run, spec({ id: 'check', needs_effect_of: ['probe', 'deploy'] }))).toBe('not rehearsed: depends on deploy');
  expect(notRehearsedReason(run, spec({ id: 'check', needs_effect_of: 'probe' }))).toBeNull();
  expect(notRehearsedReason({ ...run, dryRun: false }, spec({ id: 'check', needs_effect_of: 'deploy' }))).toBeNull();
});

it('a step reading an output a described step did not give is not rehearsed; dry_run_outputs fix that', () => {
  const deploy = makeStep('deploy', { status: 'done', rehearsal: 'described' });
  const run = makeRun({ dryRun: true, steps: [deploy, makeStep('announce')] });
  const announce = spec({ id: 'announce', uses: 'notify', with: { text: 'deployed ${{ steps.deploy.outputs.release }}' } });
  expect(notRehearsedReason(run, announce)).toMatch(/^not rehearsed: depends on deploy \(no output "release"/);
  expect(notRehearsedReason(run, spec({ id: 'announce', if: "steps.deploy.outputs.release == 'v2'" }))).toMatch(/depends on deploy/);
  deploy.outputs = { release: 'v2' };
  expect(notRehearsedReason(run, announce)).toBeNull();
});

it('a condition false only because it is a dry run means "not rehearsed", not "skipped"', () => {
  const run = makeRun({ dryRun: true, runbook: { ...makeRun().runbook, vars: { env: 'staging' } } });
  const scope = runScope(run, new Map());
  expect(liveOnlyReason(run, '!run.dry_run', scope)).toBe('not rehearsed: runs only in a live run (if: !run.dry_run)');
  expect(liveOnlyReason(run, '${{ !run.dry_run }}', scope)).toMatch(/^not rehearsed: runs only in a live run/);
  expect(liveOnlyReason(run, "vars.env == 'production'", scope)).toBeNull(); // false live too: a plain skip
});
