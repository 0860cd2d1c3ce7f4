// Waits for CI on a commit: every required check green, or fail at once on a red one (seed 001:
// a push to production triggers the CircleCI deploy, which reports back as a commit status).
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { describeCheck, readChecks, type Check } from '../github/checks.js';
import { call, matcher, Repo, short, Token } from '../github/step-input.js';
import { pollUntil } from '../lib/poll.js';
import { formatDuration, parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Input = z.strictObject({
  repo: Repo,
  /** A branch or a sha, typically `${{ steps.merge.outputs.sha }}`. */
  ref: z.string().min(1),
  /** Check-run or status names, or `/regex/`; default: every check reported. */
  require: z.array(z.string().min(1)).min(1).optional(),
  within: Duration.default('30m'),
  every: Duration.default('10s'),
  token: Token,
});
type Input = z.output<typeof Input>;

type Verdict = { ok: boolean; sha: string; checks: Check[]; missing: string[]; red?: Check };

function judge(i: Input, sha: string, checks: Check[]): Verdict {
  const relevant = i.require ? checks.filter((c) => i.require!.some((r) => matcher(r)(c.name))) : checks;
  const missing = i.require ? i.require.filter((r) => !checks.some((c) => matcher(r)(c.name))) : checks.length ? [] : ['(no check reported yet)'];
  const red = relevant.find((c) => c.state === 'failure');
  return { ok: !red && !missing.length && relevant.every((c) => c.state === 'success'), sha, checks: relevant, missing, red };
}

export const githubChecks = defineStep<Input>({
  id: 'github.checks',
  description:
    'Waits until every required check on a commit is green: commit statuses (CircleCI…) and check runs (GitHub Actions) alike. Fails at once on a red one, with its name, conclusion and link.',
  input: Input,
  sideEffects: false,
  dryRun: 'run',
  examples: [
    {
      description: 'Wait for the CircleCI deploy job to report on the merge (seed 001)',
      with: { repo: 'therestartproject/restarters', ref: 'production', require: ['ci/circleci: deploy'], within: '20m', every: '15s' },
    },
    { description: 'Every check reported on master is green, GitHub Actions included', with: { repo: 'therestartproject/restarters', ref: 'master', require: ['/^ci\\//', 'tests'] } },
  ],
  describe: (i) => `wait for ${i.require ? i.require.join(', ') : 'every check'} on ${i.ref} of ${i.repo} to be green (within ${i.within})`,
  async execute(ctx) {
    const { input: i } = ctx;
    const gh = ctx.github(i.token);
    let shown = '';
    const outcome = await pollUntil<Verdict>({ withinMs: parseDuration(i.within), everyMs: parseDuration(i.every), signal: ctx.signal }, async () => {
      const seen = await call(`reading the checks of ${i.ref}`, () => readChecks(gh, i.repo, i.ref), ctx.signal);
      const v = judge(i, seen.sha, seen.checks);
      // Progress in the thread: one line whenever the picture changes.
      const line = [...v.checks.map((c) => `${c.name}: ${c.detail}`), ...v.missing.map((m) => `${m}: not reported`)].join(', ');
      if (line !== shown) ctx.stream(`${short(v.sha)} ${line}\n`);
      shown = line;
      if (v.red) throw new StepFailure(`${v.red.name} is red on ${short(v.sha)}: ${v.red.detail}${v.red.url ? ` (${v.red.url})` : ''}`, v.checks.map(describeCheck));
      return v;
    });
    const v = outcome.last;
    const evidence = v.checks.map(describeCheck);
    if (!v.ok) {
      const waiting = [...v.checks.filter((c) => c.state === 'pending').map((c) => c.name), ...v.missing];
      throw new StepFailure(`not green after ${formatDuration(outcome.elapsedMs)}: still waiting for ${waiting.join(', ')}`, [...evidence, ...v.missing.map((m) => `${m}: not reported`)]);
    }
    return {
      outputs: { sha: v.sha, checks: Object.fromEntries(v.checks.map((c) => [c.name, c.detail])) },
      summary: `${v.checks.length} check${v.checks.length === 1 ? '' : 's'} green on ${short(v.sha)}${outcome.attempts > 1 ? ` after ${formatDuration(outcome.elapsedMs)}` : ''}`,
      evidence,
    };
  },
});
