// Seed 000's "get outstanding PRs merged": fails while pull requests are still open into a
// branch, listing them with links.
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { splitRepo } from '../github/request-util.js';
import { Branch, call, Repo, Token } from '../github/step-input.js';
import { defineStep } from './define-step.js';

const Input = z.strictObject({
  repo: Repo,
  base: Branch,
  state: z.enum(['open', 'closed', 'all']).default('open'),
  expect: z.union([z.literal('none'), z.strictObject({ max: z.number().int().min(0) })]).default('none'),
  token: Token,
});
type Input = z.output<typeof Input>;

const maxOf = (i: Input) => (i.expect === 'none' ? 0 : i.expect.max);

export const githubPulls = defineStep<Input>({
  id: 'github.pulls',
  description: 'Counts pull requests into `base` (default open) and fails, listing them with links, when there are more than `expect` allows (`none` or `{ max: N }`).',
  input: Input,
  sideEffects: false,
  dryRun: 'run',
  examples: [
    { description: 'No pull request is still open into develop (seed 000: get outstanding PRs merged)', with: { repo: 'therestartproject/restarters', base: 'develop', expect: 'none' } },
    { description: 'At most two open into master', with: { repo: 'therestartproject/restarters', base: 'master', expect: { max: 2 } } },
  ],
  describe: (i) => `check ${i.expect === 'none' ? 'no' : `at most ${i.expect.max}`} ${i.state} pull requests into ${i.base} of ${i.repo}`,
  async execute(ctx) {
    const { input: i } = ctx;
    const gh = ctx.github(i.token);
    const pulls = await call('listing pull requests', () => gh.paginate(gh.rest.pulls.list, { ...splitRepo(i.repo), base: i.base, state: i.state, per_page: 100 }), ctx.signal);
    const lines = pulls.map((p) => `#${p.number} ${p.title} (${p.user?.login ?? 'unknown'}): ${p.html_url}`);
    const outputs = { count: pulls.length, numbers: pulls.map((p) => p.number) };
    if (pulls.length > maxOf(i)) {
      throw new StepFailure(`${pulls.length} ${i.state} pull request${pulls.length === 1 ? '' : 's'} into ${i.base} (expected ${i.expect === 'none' ? 'none' : `at most ${maxOf(i)}`})`, lines);
    }
    return { outputs, summary: `${pulls.length} ${i.state} pull request${pulls.length === 1 ? '' : 's'} into ${i.base}`, evidence: lines };
  },
});
