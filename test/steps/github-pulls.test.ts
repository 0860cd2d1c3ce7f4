// github.pulls against the stand-in: seed 000's "get outstanding PRs merged".
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { githubPulls } from '../../src/steps/github-pulls.js';
import { githubFixture, REPO, type GitHubFixture } from '../support/github.js';
import { rejection, runStep } from '../support/step-context.js';

let f: GitHubFixture;
beforeEach(async () => void (f = await githubFixture()));
afterEach(() => f.close());

it('fails listing the open pull requests into develop, with links; passes once they are merged', async () => {
  const pulls = f.gh.repo(REPO).pulls;
  pulls.push({ number: 812, title: 'Group tags', state: 'open', base: 'develop', head: 'tags', user: 'neil' }, { number: 815, title: 'Laravel 10', state: 'open', base: 'develop', head: 'l10', user: 'edward' });
  pulls.push({ number: 700, title: 'Old', state: 'closed', base: 'develop', head: 'old', user: 'neil' }, { number: 9, title: 'Other base', state: 'open', base: 'master', head: 'x', user: 'neil' });
  const err = await rejection(runStep(githubPulls, { repo: REPO, base: 'develop' }, { github: f.clientFor }), StepFailure);
  expect(err.message).toBe('2 open pull requests into develop (expected none)');
  expect(err.evidence).toEqual([`#812 Group tags (neil): ${f.gh.url}/${REPO}/pull/812`, `#815 Laravel 10 (edward): ${f.gh.url}/${REPO}/pull/815`]);

  const tolerated = await runStep(githubPulls, { repo: REPO, base: 'develop', expect: { max: 2 } }, { github: f.clientFor });
  expect(tolerated.outputs).toEqual({ count: 2, numbers: [812, 815] });
  for (const p of pulls) p.state = 'closed';
  expect((await runStep(githubPulls, { repo: REPO, base: 'develop' }, { github: f.clientFor })).summary).toBe('0 open pull requests into develop');
});
