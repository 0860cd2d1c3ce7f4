// github.checks against the stand-in: waits for the fake CircleCI deploy status, fails at once
// on a red check run with its link, and reads statuses and check runs together.
import { afterEach, describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { githubChecks } from '../../src/steps/github-checks.js';
import { githubMerge } from '../../src/steps/github-merge.js';
import { githubFixture, REPO, type GitHubFixture } from '../support/github.js';
import { rejection, runStep } from '../support/step-context.js';

let f: GitHubFixture;
afterEach(() => f.close());

describe('github.checks', () => {
  it('waits until the CI deploy status the merge triggered turns green', async () => {
    f = await githubFixture({ ci: { branch: 'production', context: 'ci/circleci: deploy', delayMs: 300 } });
    const merged = await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, { github: f.clientFor });
    const result = await runStep(githubChecks, { repo: REPO, ref: merged.outputs!.sha, require: ['ci/circleci: deploy'], within: '1m', every: '100ms' }, { github: f.clientFor });
    expect(result.outputs).toMatchObject({ sha: merged.outputs!.sha, checks: { 'ci/circleci: deploy': 'success' } });
    expect(result.evidence).toEqual([`ci/circleci: deploy: success (${f.gh.url}/ci/${String(merged.outputs!.sha).slice(0, 7)})`]);
    // It saw the pending status first and streamed the change to the thread.
    expect(result.fake.output()).toMatch(/ci\/circleci: deploy: pending\n.*ci\/circleci: deploy: success\n/s);
  });

  it('fails at once on a red check run, with its name, conclusion and link, while others are pending', async () => {
    f = await githubFixture();
    const repo = f.gh.repo(REPO);
    repo.statuses.set(f.shas.master, [{ id: 1, state: 'pending', context: 'ci/circleci: build', description: null, target_url: null, created_at: '', updated_at: '' }]);
    repo.checkRuns.push({ id: 9, name: 'tests', head_sha: f.shas.master, status: 'completed', conclusion: 'timed_out', html_url: `${f.gh.url}/runs/9`, details_url: `${f.gh.url}/details/9` });
    const err = await rejection(runStep(githubChecks, { repo: REPO, ref: 'master', within: '10m', every: '5m' }, { github: f.clientFor }), StepFailure);
    expect(err.message).toBe(`tests is red on ${f.shas.master.slice(0, 7)}: timed_out (${f.gh.url}/details/9)`);
    expect(err.evidence).toEqual(['ci/circleci: build: pending', `tests: timed_out (${f.gh.url}/details/9)`]);
  });

  it('matches requirements by name or /regex/, and reports what never showed up', async () => {
    f = await githubFixture();
    const repo = f.gh.repo(REPO);
    repo.statuses.set(f.shas.master, [{ id: 1, state: 'success', context: 'ci/circleci: build', description: null, target_url: null, created_at: '', updated_at: '' }]);
    repo.checkRuns.push({ id: 9, name: 'lint', head_sha: f.shas.master, status: 'completed', conclusion: 'neutral', html_url: 'u', details_url: null });
    const ok = await runStep(githubChecks, { repo: REPO, ref: 'master', require: ['/^ci\\//', 'lint'] }, { github: f.clientFor });
    expect(ok.outputs!.checks).toEqual({ 'ci/circleci: build': 'success', lint: 'neutral' });
    const err = await rejection(runStep(githubChecks, { repo: REPO, ref: 'master', require: ['deploy'], within: '300ms', every: '100ms' }, { github: f.clientFor }), StepFailure);
    expect(err.message).toMatch(/^not green after .*: still waiting for deploy$/);
  });
});
