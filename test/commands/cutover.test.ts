import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRunbookError, PreconditionFailedError } from '../../src/errors.js';
import { FakeEngine } from '../support/fake-engine.js';
import { makeRun, makeStep } from '../support/run-fixture.js';
import { startHarness, waitFor, type Harness } from '../support/slack-harness.js';
import { commandBody } from '../support/slack-payloads.js';

let engine: FakeEngine;
let h: Harness;

beforeEach(async () => {
  engine = new FakeEngine(makeRun({ status: 'paused', cursor: 1, steps: [makeStep('a', { status: 'done' }), makeStep('b', { status: 'failed' })] }));
  h = await startHarness(engine);
});
afterEach(() => h.close());

const cutover = (text: string) => h.send(commandBody('/cutover', text, h.responseUrl));
const reply = () => waitFor(() => h.responses[0]) as Promise<{ text: string; response_type: string }>;

describe('/cutover', () => {
  it('acks at once with an empty body, then starts the run and replies with its id', async () => {
    const release = engine.holdCalls();
    const sent = await cutover('start db-cutover --dry-run');
    expect(sent).toMatchObject({ status: 200, body: '' });
    expect(sent.ms).toBeLessThan(3000);
    await waitFor(() => engine.called('start').length); // the engine is called, still held…
    expect(h.responses).toEqual([]); // …so no reply yet: the ack did not wait for it
    release();
    const r = await reply();
    expect(r.response_type).toBe('ephemeral');
    expect(r.text).toContain('Started run `r-20261122-abc` (DRY RUN)');
    expect(engine.called('start')).toEqual([[{ runbook: 'db-cutover', dryRun: true, user: 'U0LEAD', channel: 'C0CUTOVER' }]]);
  });

  it('accepts the em dash Slack clients turn "--" into', async () => {
    await cutover('start db-cutover —dry-run');
    await reply();
    expect(engine.called('start')).toEqual([[expect.objectContaining({ dryRun: true })]]);
  });

  it('shows the engine message when the lock is held', async () => {
    engine.failures.set('start', new PreconditionFailedError('lock orders-db is held by run r-9 of <@U0OTHER> since 12:00 UTC'));
    await cutover('start db-cutover');
    expect((await reply()).text).toContain('lock orders-db is held by run r-9 of <@U0OTHER> since 12:00 UTC');
  });

  it('lists the problems of an invalid runbook', async () => {
    engine.failures.set('start', new InvalidRunbookError('runbook db-cutover is invalid', ['steps[2].with.url: Required']));
    await cutover('start db-cutover');
    expect((await reply()).text).toContain('• steps[2].with.url: Required');
  });

  it('status without a run id shows the channel\'s active run', async () => {
    await cutover('status');
    expect((await reply()).text).toMatch(/paused, needs a human at step 2\/2 \*b\* \(failed\)/);
    expect(engine.called('activeRun')).toEqual([['C0CUTOVER']]);
  });

  it('status of an unknown run answers politely', async () => {
    await cutover('status r-nope');
    expect((await reply()).text).toContain('There is no run "r-nope"');
  });

  it('list shows invalid runbooks with their error', async () => {
    engine.listings = [{ name: 'broken', file: 'runbooks/broken.yml', error: 'runbooks/broken.yml:3:1 name: Required' }];
    await cutover('list');
    const r = await waitFor(() => h.responses[0]) as { blocks: unknown[] };
    expect(JSON.stringify(r.blocks)).toContain('runbooks/broken.yml:3:1 name: Required');
  });

  it('abort calls the engine with the run and the user', async () => {
    await cutover('abort r-20261122-abc');
    expect((await reply()).text).toContain('aborted');
    expect(engine.called('abort')).toEqual([['r-20261122-abc', 'U0LEAD']]);
  });

  it('unknown subcommands and no text get help, without touching the engine', async () => {
    for (const text of ['frobnicate', '']) {
      h.responses.length = 0;
      await cutover(text);
      expect((await reply()).text).toContain('/cutover start &lt;runbook&gt; [--dry-run]');
    }
    expect(engine.calls).toEqual([]);
  });

  it('a missing argument gets the usage line', async () => {
    for (const text of ['start', 'abort']) {
      h.responses.length = 0;
      await cutover(text);
      expect((await reply()).text).toMatch(/^Usage: `\/cutover (start|abort)/);
    }
    expect(engine.calls).toEqual([]);
  });

  it('refuses an unknown option with a suggestion and starts nothing (--dryrun typo)', async () => {
    await cutover('start db-cutover --dryrun');
    const r = await reply();
    expect(r.text).toContain('unknown option --dryrun; did you mean --dry-run?');
    expect(r.text).toContain('Usage: `/cutover start &lt;runbook&gt; [--dry-run]`');
    expect(engine.calls).toEqual([]);
  });

  it('refuses unknown options on every subcommand, before touching the engine', async () => {
    const cases: Array<[string, string]> = [
      ['start db-cutover --force', 'unknown option --force; /cutover start takes --dry-run'],
      ['status r-1 --verbose', 'unknown option --verbose; /cutover status takes no options'],
      ['list --all', 'unknown option --all; /cutover list takes no options'],
      ['abort r-1 --now', 'unknown option --now; /cutover abort takes no options'],
      ['start db-cutover --<!channel>', 'unknown option (not shown)'],
    ];
    for (const [text, expected] of cases) {
      h.responses.length = 0;
      await cutover(text);
      expect((await reply()).text).toContain(expected);
    }
    expect(engine.calls).toEqual([]);
  });

  it('hides internals of unexpected errors', async () => {
    engine.failures.set('listRunbooks', new Error('ENOENT /etc/secret'));
    await cutover('list');
    const r = await reply();
    expect(r.text).toContain('Something went wrong');
    expect(r.text).not.toContain('ENOENT');
  });
});
