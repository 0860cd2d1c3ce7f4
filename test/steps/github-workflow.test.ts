// github.workflow against the stand-in: dispatch, find the run (by id, or on a GHES without run
// details by event, branch, creation time and actor), stream its status, end with its
// conclusion; abort cancels the run.
import { afterEach, describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { githubWorkflow } from '../../src/steps/github-workflow.js';
import { githubFixture, REPO, type GitHubFixture } from '../support/github.js';
import { rejection, runStep } from '../support/step-context.js';

let f: GitHubFixture;
afterEach(() => f.close());

/** Resolves once `fn` returns something (polling the stand-in's state; no fixed sleeps). */
async function until<T>(fn: () => T | undefined): Promise<T> {
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const input = { repo: REPO, workflow: 'deploy.yml', ref: 'production', inputs: { app: 'restarters' }, every: '50ms', within: '5m' };

describe('github.workflow', () => {
  it('dispatches, follows the run it created and ends with its conclusion', async () => {
    f = await githubFixture();
    const runs = f.gh.repo(REPO).runs;
    const step = runStep(githubWorkflow, input, { github: f.clientFor });
    const run = await until(() => runs[0]);
    expect(run).toMatchObject({ event: 'workflow_dispatch', head_branch: 'production', actor: 'tzero-bot', inputs: { app: 'restarters' } });
    run.status = 'in_progress';
    await until(() => (f.gh.requests().filter((r) => r.path.endsWith(`/runs/${run.id}`)).length >= 3 ? true : undefined));
    Object.assign(run, { status: 'completed', conclusion: 'success' });
    const result = await step;
    expect(result.outputs).toEqual({ run_id: run.id, run_url: run.html_url, conclusion: 'success' });
    expect(result.fake.output()).toMatch(new RegExp(`workflow run ${run.id}: in_progress[\\s\\S]*workflow run ${run.id}: completed \\(success\\)\n`));
    // The id came back from the dispatch itself: no listing of runs was needed.
    expect(f.gh.requests().some((r) => r.path.endsWith('/deploy.yml/runs'))).toBe(false);
  });

  it('on a GHES without run details, finds its run by event, branch, time and actor, not an older one', async () => {
    f = await githubFixture({ returnRunDetails: false, tokens: { ghp_other: 'someone-else' } });
    const runs = f.gh.repo(REPO).runs;
    const old = { id: 1, name: 'Deploy', workflow_id: 77, head_branch: 'production', head_sha: f.shas.base, event: 'workflow_dispatch', status: 'completed' as const, conclusion: 'failure', actor: 'tzero-bot', inputs: {}, html_url: 'old', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
    runs.push(old);
    const step = runStep(githubWorkflow, { ...input, wait: false }, { github: f.clientFor });
    const result = await step;
    const mine = runs.find((r) => r.id !== 1)!;
    expect(result.outputs).toMatchObject({ run_id: mine.id, run_url: mine.html_url });
    expect(f.gh.requests().some((r) => r.path.endsWith('/workflows/deploy.yml/runs'))).toBe(true);
  });

  it('fails with the conclusion when the run fails', async () => {
    f = await githubFixture();
    const step = runStep(githubWorkflow, input, { github: f.clientFor });
    const run = await until(() => f.gh.repo(REPO).runs[0]);
    Object.assign(run, { status: 'completed', conclusion: 'failure' });
    const err = await rejection(step, StepFailure);
    expect(err.message).toBe(`workflow run ${run.id} concluded failure`);
    expect(err.evidence).toContain(run.html_url);
  });

  it('cancels the workflow run when the step is aborted', async () => {
    f = await githubFixture();
    const abort = new AbortController();
    const step = runStep(githubWorkflow, input, { github: f.clientFor, signal: abort.signal });
    const run = await until(() => f.gh.repo(REPO).runs[0]);
    run.status = 'in_progress';
    await until(() => (f.gh.requests().some((r) => r.path.endsWith(`/runs/${run.id}`)) ? true : undefined));
    abort.abort(new Error('run aborted'));
    await expect(step).rejects.toThrow('run aborted');
    expect(run).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(f.gh.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/runs/${run.id}/cancel`)).map((r) => r.status)).toEqual([202]);
  });
});
