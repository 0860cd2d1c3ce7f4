// Runs a GitHub Actions workflow (workflow_dispatch), follows the run it created in the thread,
// and ends with its conclusion. Aborting the tzero run (or its rollback) cancels the workflow run.
import { z } from 'zod';
import { StepFailure } from '../errors.js';
import { call, Repo, Token } from '../github/step-input.js';
import { actorOf, cancelRun, dispatch, findRun, getRun, type Dispatched, type RunView } from '../github/workflow-runs.js';
import { pollUntil } from '../lib/poll.js';
import { formatDuration, parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const Input = z.strictObject({
  repo: Repo,
  /** File name (deploy.yml) or numeric id. */
  workflow: z.union([z.string().min(1), z.number().int().positive()]),
  ref: z.string().min(1),
  inputs: z.record(z.string().min(1), Scalar).refine((o) => Object.keys(o).length <= 25, 'GitHub takes at most 25 inputs').default({}),
  wait: z.boolean().default(true),
  within: Duration.default('60m'),
  every: Duration.default('10s'),
  token: Token,
});
type Input = z.output<typeof Input>;

export const githubWorkflow = defineStep<Input>({
  id: 'github.workflow',
  description:
    'Dispatches a GitHub Actions workflow (workflow_dispatch), finds the run it created, streams its status to the thread and ends with its conclusion (success passes). Abort cancels the run. Outputs `run_id`, `run_url`, `conclusion`.',
  input: Input,
  sideEffects: true,
  dryRun: 'describe',
  examples: [
    {
      description: 'Run the production deploy workflow on the production branch and wait for it',
      with: { repo: 'therestartproject/restarters', workflow: 'deploy.yml', ref: 'production', inputs: { app: 'restarters', remote_only: true }, within: '30m', every: '5s' },
    },
    { description: 'Kick off the cache warm-up without waiting', with: { repo: 'therestartproject/restarters', workflow: 'warm-caches.yml', ref: 'production', wait: false } },
  ],
  describe: (i) => `run workflow ${i.workflow} of ${i.repo} on ${i.ref}${i.wait ? ` and wait for it (within ${i.within})` : ''}`,
  async execute(ctx) {
    const { input: i } = ctx;
    const gh = ctx.github(i.token);
    const actor = await ctx.checkpoint('actor', () => actorOf(gh));
    const sent = await ctx.checkpoint<Dispatched>('dispatch', () => call(`dispatching ${i.workflow}`, () => dispatch(gh, i.repo, i.workflow, i.ref, i.inputs, ctx.now()), ctx.signal));
    const found = await ctx.checkpoint<RunView>('run', async () => {
      if (sent.runId) return call('reading the run', () => getRun(gh, i.repo, sent.runId!), ctx.signal);
      const polled = await pollUntil({ withinMs: 120_000, everyMs: 2_000, signal: ctx.signal }, async () => {
        const run = await call('listing workflow runs', () => findRun(gh, i.repo, i.workflow, i.ref, sent, actor), ctx.signal);
        return { ok: !!run, run };
      });
      if (!polled.last.run) throw new StepFailure(`dispatched ${i.workflow} on ${i.ref}, but no run appeared within 2m`, [`dispatched at ${sent.at}`]);
      return polled.last.run;
    });
    ctx.stream(`workflow run ${found.id}: ${found.status} ${found.html_url}\n`);
    const outputs = (r: RunView) => ({ run_id: r.id, run_url: r.html_url, conclusion: r.conclusion ?? '' });
    if (!i.wait) return { outputs: outputs(found), summary: `dispatched; run ${found.id} ${found.status}`, evidence: [found.html_url] };

    let last = found;
    try {
      const polled = await pollUntil({ withinMs: parseDuration(i.within), everyMs: parseDuration(i.every), signal: ctx.signal }, async () => {
        const run = await call('reading the run', () => getRun(gh, i.repo, found.id), ctx.signal);
        if (run.status !== last.status) ctx.stream(`workflow run ${run.id}: ${run.status}${run.conclusion ? ` (${run.conclusion})` : ''}\n`);
        last = run;
        return { ok: run.status === 'completed', run };
      });
      last = polled.last.run;
    } catch (err) {
      if (ctx.signal.aborted) {
        // The tzero run was aborted or is rolling back: the workflow must not carry on alone.
        const what = await cancelRun(gh, i.repo, found.id).catch((e: Error) => `cancel failed: ${e.message}`);
        ctx.log.warn('workflow run cancelled on abort', { runId: found.id, result: what });
      }
      throw err;
    }
    const evidence = [`run ${last.id}: ${last.status}${last.conclusion ? ` / ${last.conclusion}` : ''}`, last.html_url];
    if (last.status !== 'completed') throw new StepFailure(`workflow run ${last.id} still ${last.status} after ${i.within} (left running)`, evidence);
    if (last.conclusion !== 'success') throw new StepFailure(`workflow run ${last.id} concluded ${last.conclusion}`, evidence);
    const took = formatDuration(Math.max(0, ctx.now() - Date.parse(found.created_at)));
    return { outputs: outputs(last), summary: `workflow run ${last.id} succeeded in ${took}`, evidence };
  },
});
