// Merges a branch into another through GitHub (seed 001: "always merge master → production
// before deploying"), or fast-forwards it. The branch's sha before is checkpointed first, so the
// undo (a forced reset of `base` to `previous_sha`) and the check after a crash both know it.
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { NO_RETRY, splitRepo, statusOf } from '../github/request-util.js';
import type { GitHub } from '../github/client.js';
import { branchSha, changedOnBothSides, commitSha, contains, moveBranch, parentsOf } from '../github/git.js';
import { Branch, call, githubFailure, Repo, short, Token } from '../github/step-input.js';
import { defineStep } from './define-step.js';

const Input = z.strictObject({
  repo: Repo,
  /** The branch that moves. */
  base: Branch,
  /** A branch or a sha. */
  head: z.string().min(1),
  mode: z.enum(['merge', 'fast_forward']).default('merge'),
  commit_message: z.string().min(1).optional(),
  token: Token,
});
type Input = z.output<typeof Input>;
type Plan = { previous_sha: string; head_sha: string };
type Merged = { sha: string; merged: boolean };

const outputs = (plan: Plan, sha: string, merged: boolean) => ({ sha, previous_sha: plan.previous_sha, head_sha: plan.head_sha, merged });

export const githubMerge = defineStep<Input>({
  id: 'github.merge',
  description:
    'Merges `head` into `base` on GitHub (or fast-forwards `base` with `mode: fast_forward`). Outputs `sha` and `previous_sha`; nothing to merge is success with the sha unchanged; a conflict fails. Default undo: `base` is reset to `previous_sha` (a forced ref update, refused if `base` moved since).',
  input: Input,
  sideEffects: true,
  dryRun: 'describe',
  examples: [
    { description: 'Merge master into production before deploying (seed 001)', with: { repo: 'therestartproject/restarters', base: 'production', head: 'master' } },
    {
      description: 'Fast-forward production to develop, with a deploy token',
      with: { repo: 'therestartproject/restarters', base: 'production', head: 'develop', mode: 'fast_forward', token: '${{ secrets.GITHUB_DEPLOY_TOKEN }}' },
    },
  ],
  describe: (i) => (i.mode === 'fast_forward' ? `fast-forward ${i.base} of ${i.repo} to ${i.head}` : `merge ${i.head} into ${i.base} of ${i.repo}`),
  defaultUndo: (step) => ({
    uses: 'github.ref',
    with: {
      repo: step.with.repo,
      branch: step.with.base,
      sha: `\${{ steps.${step.id}.outputs.previous_sha }}`,
      expect: `\${{ steps.${step.id}.outputs.sha }}`,
      force: true,
      ...(step.with.token !== undefined ? { token: step.with.token } : {}),
    },
  }),
  async execute(ctx) {
    const { input: i } = ctx;
    const gh = ctx.github(i.token);
    const plan = await ctx.checkpoint<Plan>('plan', async () => ({
      previous_sha: await call(`reading ${i.base}`, () => branchSha(gh, i.repo, i.base), ctx.signal),
      head_sha: await call(`reading ${i.head}`, () => commitSha(gh, i.repo, i.head), ctx.signal),
    }));
    const result = await ctx.checkpoint<Merged>('merge', () => (i.mode === 'fast_forward' ? fastForward(ctx.input, plan, gh) : merge(ctx.input, plan, gh, ctx.run.id)));
    const evidence = [`${i.base} before: ${plan.previous_sha}`, `${i.head}: ${plan.head_sha}`, `${i.base} now: ${result.sha}`];
    const summary = result.merged
      ? `${i.mode === 'fast_forward' ? 'fast-forwarded' : 'merged'} ${i.head} into ${i.base}: ${short(plan.previous_sha)} → ${short(result.sha)}`
      : `nothing to merge: ${i.base} already contains ${i.head} (${short(result.sha)})`;
    return { outputs: outputs(plan, result.sha, result.merged), summary, evidence };
  },
  async verify(ctx) {
    const { input: i } = ctx;
    const gh = ctx.github(i.token);
    const plan = await ctx.checkpoint<Plan>('plan', () => {
      throw new StepFailure(`no record of the merge starting; ${i.base} was not touched by tzero`);
    });
    const now = await call(`reading ${i.base}`, () => branchSha(gh, i.repo, i.base));
    const seen = [`${i.base} before: ${plan.previous_sha}`, `${i.base} now: ${now}`];
    if (now === plan.previous_sha) {
      if (await call('comparing', () => contains(gh, i.repo, now, plan.head_sha))) return { outputs: outputs(plan, now, false), summary: `${i.base} already contained ${i.head}`, evidence: seen };
      throw new StepFailure(`${i.base} is still at ${short(now)}: the merge did not happen`, seen);
    }
    const expected = i.mode === 'fast_forward' ? now === plan.head_sha : (await call('reading the commit', () => parentsOf(gh, i.repo, now))).join() === [plan.previous_sha, plan.head_sha].join();
    if (!expected) throw new StepFailure(`${i.base} moved to ${short(now)}, which is not tzero's ${i.mode === 'fast_forward' ? 'fast-forward' : 'merge'} of ${short(plan.head_sha)}`, seen);
    return { outputs: outputs(plan, now, true), summary: `${i.base} is at tzero's ${i.mode === 'fast_forward' ? 'fast-forward' : 'merge'} ${short(now)}`, evidence: seen };
  },
});

async function fastForward(i: Input, plan: Plan, gh: GitHub): Promise<Merged> {
  if (plan.previous_sha === plan.head_sha || (await call('comparing', () => contains(gh, i.repo, plan.previous_sha, plan.head_sha)))) return { sha: plan.previous_sha, merged: false };
  const moved = await call(`updating ${i.base}`, () => moveBranch(gh, i.repo, i.base, plan.head_sha, false));
  if (moved.refused) throw new StepFailure(`${i.base} cannot fast-forward to ${i.head}: ${i.base} has commits ${i.head} lacks`, [`GitHub: 422 ${moved.refused}`]);
  return { sha: plan.head_sha, merged: true };
}

async function merge(i: Input, plan: Plan, gh: GitHub, runId: string): Promise<Merged> {
  try {
    // Merged by sha, so the merge is exactly what was read (and checkpointed) above. Never retried:
    // a retried merge after a lost answer could merge twice.
    const res = await gh.rest.repos.merge({ ...splitRepo(i.repo), base: i.base, head: plan.head_sha, commit_message: i.commit_message ?? `Merge ${i.head} into ${i.base} (tzero run ${runId})`, ...NO_RETRY });
    // 204: nothing to merge (Octokit's types only know 201).
    if ((res.status as number) === 204) return { sha: plan.previous_sha, merged: false };
    return { sha: res.data.sha, merged: true };
  } catch (err) {
    if (statusOf(err) !== 409) throw githubFailure(`merging ${i.head} into ${i.base}`, err);
    // GitHub's merges API says only "Merge conflict"; the files changed on both sides are where it is.
    const both = await changedOnBothSides(gh, i.repo, plan.previous_sha, plan.head_sha).catch(() => undefined);
    const where = both?.length ? `; files changed on both sides: ${both.join(', ')}` : '; GitHub does not say which files conflict';
    throw new StepFailure(`merge conflict merging ${i.head} into ${i.base}${where}`, ['GitHub: 409 Merge conflict', ...(both?.length ? [`changed on both sides: ${both.join(', ')}`] : [])]);
  }
}
