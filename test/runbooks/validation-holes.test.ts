// Issue #6 §2: holes validation used to let through. Each is refused with
// "file:line:col field.path: message", here through loadRunbookFile (what boot, /cutover start and
// `tzero lint` all call). Line numbers matter: keep the layout of each runbook.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRunbookError } from '../../src/errors.js';
import { STEP_QUEUE } from '../../src/jobs/step-queue.js';
import { loadRunbookFile, loadRunbooks } from '../../src/runbooks/load.js';
import { SELF_QUEUE_MONITORS } from '../../src/runbooks/monitor-ids.js';
import { stepDisplayName } from '../../src/runbooks/step-name.js';

let dir: string;
let monitorsFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tzero-holes-'));
  monitorsFile = path.join(dir, 'monitors.yml');
  await writeFile(monitorsFile, [
    'health:',
    '  - { id: site, url: "http://127.0.0.1:1/robots.txt" }',
    'queues:',
    '  - { id: failed-jobs, source: { redis: { key: q } }, above: 20 }',
    '',
  ].join('\n'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEAD = `name: holes
channel: C0CUTOVER
roles:
  lead: [U0LEAD]
  second: [U0SECOND]
vars: { version: v2.4.1 }
steps:
`;

async function problemsOf(name: string, text: string, opts = { monitorsFile: '' }): Promise<string[]> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const err = await loadRunbookFile(file, { monitorsFile: opts.monitorsFile || monitorsFile }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidRunbookError);
  return (err as InvalidRunbookError).problems.map((p) => p.replace(`${dir}${path.sep}`, ''));
}

describe('monitor ids must exist in the monitors file', () => {
  it('refuses a typo in silence, unsilence and watch.rollback_if, with a suggestion', async () => {
    const text = `${HEAD}  - { id: quiet, uses: silence, with: { monitors: [sitee] } }
  - { id: loud, uses: unsilence, with: { monitors: [site, failed-job] } }
watch:
  for: 1h
  rollback_if:
    - health_down: { monitor: new-site }
    - queue_above: { monitor: failed-jobz, value: 5 }
`;
    expect(await problemsOf('monitors.yml.bad.yml', text)).toEqual([
      `monitors.yml.bad.yml:8:52 steps[0].with.monitors[0]: unknown monitor "sitee"; did you mean "site"? (monitors in ${monitorsFile}: site, failed-jobs, tzero-steps, workers, redis)`,
      `monitors.yml.bad.yml:9:59 steps[1].with.monitors[1]: unknown monitor "failed-job"; did you mean "failed-jobs"? (monitors in ${monitorsFile}: site, failed-jobs, tzero-steps, workers, redis)`,
      `monitors.yml.bad.yml:13:31 watch.rollback_if[0].health_down.monitor: unknown health monitor "new-site" (health monitors in ${monitorsFile}: site)`,
      `monitors.yml.bad.yml:14:31 watch.rollback_if[1].queue_above.monitor: unknown queue monitor "failed-jobz"; did you mean "failed-jobs"? (queue monitors in ${monitorsFile}: failed-jobs, tzero-steps)`,
    ]);
  });

  it('says when the monitors file does not exist', async () => {
    const text = `${HEAD}  - { id: quiet, uses: silence, with: { monitors: [site] } }\n`;
    const missing = path.join(dir, 'nope.yml');
    expect(await problemsOf('no-monitors.yml', text, { monitorsFile: missing })).toEqual([
      `no-monitors.yml:8:52 steps[0].with.monitors[0]: unknown monitor "site" (${missing} does not exist; tzero's own: tzero-steps, workers, redis)`,
    ]);
  });

  it("accepts the file's ids and tzero's own step-queue monitor", async () => {
    const file = path.join(dir, 'ok-monitors.yml');
    await writeFile(file, `${HEAD}  - { id: quiet, uses: silence, with: { monitors: [site, failed-jobs, tzero-steps] } }
watch:
  for: 1h
  rollback_if: [{ health_down: { monitor: site } }, { queue_above: { monitor: tzero-steps, value: 50 } }]
`);
    await expect(loadRunbookFile(file, { monitorsFile })).resolves.toMatchObject({ runbook: { name: 'holes' } });
    expect(SELF_QUEUE_MONITORS).toEqual([STEP_QUEUE]);
  });
});

describe('approval quorums that can never be reached', () => {
  it('refuses min above the number of approvers', async () => {
    const text = `${HEAD}  - { id: go, uses: approval, with: { prompt: Go?, approvers: [lead], min: 2, allow_self: true } }\n`;
    expect(await problemsOf('quorum.yml', text)).toEqual([
      'quorum.yml:8:76 steps[0].with.min: min 2 can never be reached: 1 approver (U0LEAD), so at most 1 can approve',
    ]);
  });

  it('counts the starter out when only approvers may start and allow_self is false', async () => {
    const text = `${HEAD.replace('steps:', 'can: { start: [lead, second] }\nsteps:')}  - { id: go, uses: approval, with: { prompt: Go?, approvers: [lead, second], min: 2 } }\n`;
    expect(await problemsOf('self.yml', text)).toEqual([
      'self.yml:9:84 steps[0].with.min: min 2 can never be reached: 2 approvers (U0LEAD, U0SECOND), and whoever starts the run is one of them and may not approve it (allow_self is false), so at most 1 can approve',
    ]);
  });

  it('accepts a quorum reachable whoever starts', async () => {
    const file = path.join(dir, 'reachable.yml');
    // second may start and is no approver: lead can approve; with allow_self the starter counts.
    await writeFile(file, `${HEAD}  - { id: go, uses: approval, with: { prompt: Go?, approvers: [lead], min: 1 } }
  - { id: both, uses: approval, with: { prompt: Sure?, approvers: [lead, second], min: 2, allow_self: true } }
`);
    await expect(loadRunbookFile(file, { monitorsFile })).resolves.toBeTruthy();
  });
});

describe('undos, shell quoting and step names', () => {
  it('refuses wait as an undo', async () => {
    const text = `${HEAD}  - id: flip
    uses: notify
    with: { text: flip }
    undo: { uses: wait, with: { for: 1m } }
`;
    expect(await problemsOf('wait-undo.yml', text)).toEqual([
      'wait-undo.yml:11:19 steps[0].undo.uses: wait cannot undo a step: it changes nothing. Use an approval to have a person confirm the undo, or remove the undo',
    ]);
  });

  it("refuses '${{ … }}' inside single quotes in shell.run, and nothing else", async () => {
    const text = `${HEAD}  - id: deploy
    uses: shell
    with:
      run: |
        # don't forget: the tag is "\${{ vars.version }}"
        echo "\${{ vars.version }}" \${{ vars.version }} 'it''s'
        git tag '\${{ vars.version }}'
`;
    expect(await problemsOf('quoted.yml', text)).toEqual([
      'quoted.yml:11:12 steps[0].with.run: ${{ vars.version }} is inside single quotes, where the shell never substitutes it; remove the quotes (a value always reaches the command as one argument) or use double quotes',
    ]);
  });

  it('refuses secrets and step outputs in a step name, and unknown vars', async () => {
    const text = `${HEAD}  - { id: a, name: "Deploy \${{ secrets.TOKEN }}", uses: notify, with: { text: a } }
  - { id: b, name: "After \${{ steps.a.outputs.x }}", uses: notify, with: { text: b } }
  - { id: c, name: "Deploy \${{ vars.versoin }}", uses: notify, with: { text: c } }
`;
    expect(await problemsOf('names.yml', text)).toEqual([
      'names.yml:8:20 steps[0].name: "secrets.TOKEN" cannot be shown in a step name: a name is resolved when the run starts and may use vars.* and run.* only',
      'names.yml:9:20 steps[1].name: "steps.a.outputs.x" cannot be shown in a step name: a name is resolved when the run starts and may use vars.* and run.* only',
      'names.yml:10:20 steps[2].name: unknown variable "vars.versoin" (declared: version)',
    ]);
  });

  it('resolves vars and run fields in a step name when the run starts', () => {
    const run = { id: 'r1', dry_run: false, started_by: 'U0LEAD' };
    expect(stepDisplayName({ id: 'deploy', name: 'Deploy ${{ vars.version }} (${{ run.id }})' }, { version: 'v2.4.1' }, run)).toBe('Deploy v2.4.1 (r1)');
    expect(stepDisplayName({ id: 'deploy' }, {}, run)).toBe('deploy');
  });
});

describe('the runbooks folder', () => {
  it('does not read the monitors file as a runbook when it sits in the folder', async () => {
    const folder = await mkdtemp(path.join(dir, 'folder-'));
    const monitors = path.join(folder, 'monitors.yml');
    await writeFile(monitors, 'health:\n  - { id: site, url: "http://127.0.0.1:1/" }\n');
    await writeFile(path.join(folder, 'book.yml'), `${HEAD}  - { id: quiet, uses: silence, with: { monitors: [site] } }\n`);
    const { runbooks, invalid } = await loadRunbooks(folder, { monitorsFile: monitors });
    expect(invalid).toEqual([]);
    expect([...runbooks.keys()]).toEqual(['holes']);
  });
});
