// How a rehearsal reads in Slack (issue 6 §3): the card's status is the rehearsal summary, never
// "succeeded"; described and not-rehearsed steps say so on the card and in the thread.
import { expect, it } from 'vitest';
import { runCard } from '../../src/slack/blocks/run-card.js';
import { stepMessage } from '../../src/slack/blocks/step-message.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const run = makeRun({
  dryRun: true,
  status: 'rehearsed',
  endedAt: T0 + 60_000,
  steps: [
    makeStep('maintenance', { status: 'done', rehearsal: 'described', startedAt: T0, endedAt: T0, summary: 'DRY RUN: would run `ansible-playbook maintenance.yml`' }),
    makeStep('config-check', { status: 'done', rehearsal: 'ran', startedAt: T0, endedAt: T0 + 2000 }),
    makeStep('smoke', { status: 'skipped', rehearsal: 'not_rehearsed', startedAt: T0, endedAt: T0, note: 'not rehearsed: depends on maintenance' }),
  ],
});

it('the card of a finished rehearsal gives the counts, not "succeeded"', () => {
  const card = runCard(run, T0 + 60_000);
  const json = JSON.stringify(card.blocks);
  expect(json).toContain(':performing_arts: rehearsed: 1 ran, 1 described, 1 not rehearsed, 0 skipped by hand');
  expect(card.text).toContain('rehearsed: 1 ran, 1 described, 1 not rehearsed, 0 skipped by hand');
  expect(json + card.text).not.toContain('succeeded');
  expect(json).toContain(':memo: 1. *maintenance* described');
  expect(json).toContain(':see_no_evil: 3. *smoke* not rehearsed');
});

it('thread messages say "described" and "not rehearsed: depends on …"', () => {
  expect(stepMessage(run, 'maintenance', T0).text).toBe('[DRY RUN] Step 1/3 maintenance described');
  const smoke = stepMessage(run, 'smoke', T0);
  expect(smoke.text).toBe('[DRY RUN] Step 3/3 smoke not rehearsed');
  expect(JSON.stringify(smoke.blocks)).toContain('not rehearsed: depends on maintenance');
});

it('/cutover status gives the rehearsal summary too', async () => {
  const { statusReply } = await import('../../src/slack/blocks/replies.js');
  const reply = statusReply(run, [], T0 + 60_000);
  expect(reply.text).toContain('rehearsed: 1 ran, 1 described, 1 not rehearsed, 0 skipped by hand');
  expect(reply.text).not.toContain('succeeded');
});
