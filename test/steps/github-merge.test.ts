// github.merge and its undo (github.ref) against the GitHub stand-in: merge, nothing to merge
// (204), conflict with the files changed on both sides, fast-forward, the check after a crash,
// and the forced reset that refuses when the branch moved since.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepFailure } from '../../src/errors.js';
import { githubMerge } from '../../src/steps/github-merge.js';
import { githubRef } from '../../src/steps/github-ref.js';
import { validateRunbook } from '../../src/runbooks/validate.js';
import { githubFixture, REPO, type GitHubFixture } from '../support/github.js';
import { fakeContext, rejection, runStep } from '../support/step-context.js';

let f: GitHubFixture;
beforeEach(async () => void (f = await githubFixture()));
afterEach(() => f.close());

const branch = (name: string) => f.gh.repo(REPO).git.branches.get(name);
const opts = () => ({ github: f.clientFor });

describe('github.merge', () => {
  it('merges master into production and outputs the new sha and the one before', async () => {
    const result = await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, opts());
    const now = branch('production')!;
    expect(result.outputs).toMatchObject({ sha: now, previous_sha: f.shas.base, head_sha: f.shas.master, merged: true });
    expect(f.gh.repo(REPO).git.commits.get(now)!.parents).toEqual([f.shas.base, f.shas.master]);
    expect(result.summary).toMatch(/^merged master into production: \w{7} → \w{7}$/);
  });

  it('treats 204 nothing to merge as success with the sha unchanged', async () => {
    f.gh.repo(REPO).git.move('production', f.shas.master);
    const result = await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, opts());
    expect(result.outputs).toMatchObject({ sha: f.shas.master, previous_sha: f.shas.master, merged: false });
    expect(result.summary).toContain('nothing to merge');
    expect(f.gh.requests().some((r) => r.method === 'POST' && r.path.endsWith('/merges') && r.status === 204)).toBe(true);
  });

  it('fails on a conflict, naming the files changed on both sides', async () => {
    f.gh.repo(REPO).git.commit('production', 'hotfix on production', ['composer.json']);
    const before = branch('production');
    const err = await rejection(runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, opts()), StepFailure);
    expect(err.message).toBe('merge conflict merging master into production; files changed on both sides: composer.json');
    expect(err.evidence).toContain('GitHub: 409 Merge conflict');
    expect(branch('production')).toBe(before);
    // Never retried: a retried merge could merge twice.
    expect(f.gh.requests().filter((r) => r.path.endsWith('/merges'))).toHaveLength(1);
  });

  it('fast-forwards, and refuses when production has commits master lacks', async () => {
    const ok = await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master', mode: 'fast_forward' }, opts());
    expect(ok.outputs).toMatchObject({ sha: f.shas.master, previous_sha: f.shas.base, merged: true });
    expect(branch('production')).toBe(f.shas.master);
    f.gh.repo(REPO).git.commit('production', 'hotfix', ['x']);
    f.gh.repo(REPO).git.commit('develop', 'new work', ['y']);
    const err = await rejection(runStep(githubMerge, { repo: REPO, base: 'production', head: 'develop', mode: 'fast_forward' }, opts()), StepFailure);
    expect(err.message).toMatch(/production cannot fast-forward to develop/);
  });

  it('verify after a crash: passes when the branch is at tzero’s merge, fails when the merge never happened', async () => {
    const checkpoints = new Map<string, unknown>();
    await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, { ...opts(), checkpoints });
    checkpoints.delete('merge'); // as if the process died before storing the answer
    const verified = await githubMerge.verify!(fakeContext(githubMerge, { repo: REPO, base: 'production', head: 'master' }, { ...opts(), checkpoints }).ctx);
    expect(verified.outputs).toMatchObject({ sha: branch('production'), previous_sha: f.shas.base, merged: true });

    f.gh.repo(REPO).git.move('production', f.shas.base); // the merge did not happen
    const err = await rejection(githubMerge.verify!(fakeContext(githubMerge, { repo: REPO, base: 'production', head: 'master' }, { ...opts(), checkpoints }).ctx), StepFailure);
    expect(err.message).toMatch(/still at \w{7}: the merge did not happen/);
  });

  it('gets a default undo that force-resets base to previous_sha, guarded by the merge sha', () => {
    const rb = validateRunbook({ name: 'r', channel: 'C0X', steps: [{ id: 'merge', uses: 'github.merge', with: { repo: REPO, base: 'production', head: 'master' } }] });
    expect(rb.steps[0]!.undo).toEqual({
      uses: 'github.ref',
      with: { repo: REPO, branch: 'production', sha: '${{ steps.merge.outputs.previous_sha }}', expect: '${{ steps.merge.outputs.sha }}', force: true },
    });
    expect(githubRef.caution!(githubRef.input.parse({ repo: REPO, branch: 'production', sha: 'abcdef1', force: true }))).toMatch(/^forced ref update/);
  });
});

describe('github.ref (the undo)', () => {
  it('resets production to the sha before the merge with a forced update', async () => {
    const merged = await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, opts());
    const undo = await runStep(githubRef, { repo: REPO, branch: 'production', sha: merged.outputs!.previous_sha, expect: merged.outputs!.sha, force: true }, opts());
    expect(branch('production')).toBe(f.shas.base);
    expect(undo.summary).toMatch(/^forced production: \w{7} → \w{7}$/);
  });

  it('refuses when the branch moved since the merge, leaving it alone', async () => {
    const merged = await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, opts());
    const pushed = f.gh.repo(REPO).git.commit('production', 'someone pushed', ['y']);
    const err = await rejection(runStep(githubRef, { repo: REPO, branch: 'production', sha: merged.outputs!.previous_sha, expect: merged.outputs!.sha, force: true }, opts()), StepFailure);
    expect(err.message).toMatch(/production moved since/);
    expect(branch('production')).toBe(pushed);
  });

  it('without force, GitHub refuses a move back in history (422)', async () => {
    await runStep(githubMerge, { repo: REPO, base: 'production', head: 'master' }, opts());
    const err = await rejection(runStep(githubRef, { repo: REPO, branch: 'production', sha: f.shas.base }, opts()), StepFailure);
    expect(err.message).toBe(`GitHub refused to move production to ${f.shas.base.slice(0, 7)}: Update is not a fast forward`);
  });
});
