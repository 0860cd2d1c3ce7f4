// A github.merge that was running when tzero died is never merged again: the engine runs the
// step type's built-in verify (no `verify:` in the runbook), which reads production back.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { keys } from '../../src/engine/keys.js';
import { RunStore } from '../../src/engine/run-store.js';
import { AbortRegistry, type Runtime } from '../../src/engine/runtime.js';
import { runStepJob } from '../../src/engine/step-runner.js';
import { githubFixture, REPO, type GitHubFixture } from '../support/github.js';
import { makeRun, makeStep, T0 } from '../support/run-fixture.js';

const redis = new Redis(process.env.REDIS_URL!);
afterAll(() => redis.quit());
let f: GitHubFixture;
beforeEach(async () => void (f = await githubFixture()));
afterEach(() => f.close());

function runtime(): Runtime {
  const noop = async () => undefined;
  return {
    store: new RunStore(redis, keys(`t${randomUUID().slice(0, 8)}`)),
    jobs: { enqueue: noop },
    messages: { card: noop, step: noop, rollback: noop, notify: noop, proposal: noop, changed: noop },
    secrets: () => undefined,
    log: pino({ level: 'silent' }),
    aborts: new AbortRegistry(),
    github: { get: (t) => f.clientFor(t) },
    now: () => Date.now(),
  };
}

/** A live run whose merge step was `running` when the process died, after checkpointing its plan. */
async function crashedMidMerge(rt: Runtime) {
  const plan = { previous_sha: f.shas.base, head_sha: f.shas.master };
  const run = makeRun({ steps: [makeStep('merge', { uses: 'github.merge', status: 'running', startedAt: T0, checkpoints: { plan } })] });
  run.runbook.steps[0] = { ...run.runbook.steps[0]!, uses: 'github.merge', with: { repo: REPO, base: 'production', head: 'master' } };
  await rt.store.create(run);
  return run;
}

it('marks the step done from what GitHub shows when the merge went through, without merging again', async () => {
  const rt = runtime();
  const run = await crashedMidMerge(rt);
  const merge = f.gh.repo(REPO).git.merge('production', f.shas.master, 'the merge that happened before the crash');
  const mergesBefore = f.gh.requests().filter((r) => r.path.endsWith('/merges')).length;
  await runStepJob(rt, run.id, 'merge', 1);
  const step = (await rt.store.get(run.id))!.steps[0]!;
  expect(step.status).toBe('done');
  expect(step.summary).toMatch(/^in doubt after a restart; checked: production is at tzero's merge \w{7}$/);
  expect(step.outputs).toMatchObject({ sha: (merge as { sha: string }).sha, previous_sha: f.shas.base, merged: true });
  expect(f.gh.requests().filter((r) => r.path.endsWith('/merges')).length).toBe(mergesBefore);
});

it('leaves the step in doubt for a human when the merge did not happen', async () => {
  const rt = runtime();
  const run = await crashedMidMerge(rt);
  await runStepJob(rt, run.id, 'merge', 1);
  const after = (await rt.store.get(run.id))!;
  expect(after.status).toBe('paused');
  expect(after.steps[0]).toMatchObject({ status: 'in_doubt', note: expect.stringMatching(/the merge did not happen/) });
  expect(f.gh.repo(REPO).git.branches.get('production')).toBe(f.shas.base);
});
