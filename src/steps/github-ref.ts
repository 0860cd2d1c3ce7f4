// Moves a branch to a sha: the undo of github.merge (reset `production` to what it was). With
// `expect`, it refuses when the branch has moved since (someone pushed after the merge), so a
// forced reset never throws away commits tzero did not make.
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { branchSha, moveBranch } from '../github/git.js';
import { Branch, call, Repo, short, Token } from '../github/step-input.js';
import { defineStep } from './define-step.js';

const Sha = z.string().regex(/^[0-9a-f]{7,40}$/, 'a commit sha');
const Input = z.strictObject({
  repo: Repo,
  branch: Branch,
  sha: Sha,
  /** Allow a move that is not a fast-forward (a reset back in history). */
  force: z.boolean().default(false),
  /** The sha the branch must be at now; anything else fails without touching it. */
  expect: Sha.optional(),
  token: Token,
});
type Input = z.output<typeof Input>;

export const githubRef = defineStep<Input>({
  id: 'github.ref',
  description:
    "Moves a branch to a sha (github.merge's undo). `force: true` allows a reset back in history; `expect` refuses when the branch is no longer where tzero left it.",
  input: Input,
  sideEffects: true,
  dryRun: 'describe',
  examples: [
    {
      description: 'Reset production to where it was before the merge (the rollback), unless someone pushed since; usually `sha: ${{ steps.merge.outputs.previous_sha }}`',
      with: { repo: 'therestartproject/restarters', branch: 'production', sha: '4f1c2e9', expect: '9b7d3a1', force: true },
    },
  ],
  describe: (i) => `${i.force ? 'force-' : ''}move ${i.branch} of ${i.repo} to ${short(i.sha)}${i.expect ? ` (only if it is still at ${short(i.expect)})` : ''}`,
  caution: (i) => (i.force ? `forced ref update: ${i.branch} of ${i.repo} is reset to ${short(i.sha)}, rewriting its history` : undefined),
  async execute(ctx) {
    const { input: i } = ctx;
    const gh = ctx.github(i.token);
    const before = await ctx.checkpoint('before', () => call(`reading ${i.branch}`, () => branchSha(gh, i.repo, i.branch), ctx.signal));
    const evidence = [`${i.branch} was at ${before}`];
    if (before === i.sha) return { outputs: { sha: i.sha, previous_sha: before }, summary: `${i.branch} already at ${short(i.sha)}; nothing to do`, evidence };
    if (i.expect && before !== i.expect) {
      throw new StepFailure(`${i.branch} moved since: it is at ${short(before)}, not ${short(i.expect)}; not resetting it (check by hand)`, [...evidence, `expected ${i.expect}`]);
    }
    const moved = await ctx.checkpoint('move', () => call(`updating ${i.branch}`, () => moveBranch(gh, i.repo, i.branch, i.sha, i.force), ctx.signal));
    if (moved.refused) throw new StepFailure(`GitHub refused to move ${i.branch} to ${short(i.sha)}: ${moved.refused}`, evidence);
    return {
      outputs: { sha: i.sha, previous_sha: before },
      summary: `${i.force ? 'forced ' : ''}${i.branch}: ${short(before)} → ${short(i.sha)}`,
      evidence: [...evidence, `${i.branch} now at ${i.sha}${i.force ? ' (forced update)' : ''}`],
    };
  },
});
