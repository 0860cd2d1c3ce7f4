// Silences monitors during planned work ("site down" must not page while maintenance mode is
// on). Silenced alerts are still counted and listed in the run thread when the silence ends:
// after `for`, at a later `unsilence` step, or at the end of the run.
import { z } from 'zod';
import { parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Input = z.strictObject({
  monitors: z.array(z.string().min(1)).min(1),
  for: Duration.optional(),
});
type Input = z.output<typeof Input>;

export const silence = defineStep<Input>({
  id: 'silence',
  description: 'Keeps alerts of `monitors` out of Slack `for` a while, or until an `unsilence` step or the end of the run; they are counted and listed when the silence ends.',
  input: Input,
  sideEffects: false,
  dryRun: 'describe',
  examples: [
    { description: 'Maintenance mode makes the old site answer 503: do not page for it', with: { monitors: ['site'], for: '15m' } },
    { description: 'Silence queue alerts until the workers are back', with: { monitors: ['laravel-jobs', 'failed-jobs'] } },
  ],
  describe: (input) => `silence ${input.monitors.join(', ')} ${input.for ? `for ${input.for}` : 'until unsilenced or the run ends'}`,
  async execute(ctx) {
    const until = ctx.input.for ? await ctx.checkpoint('until', () => ctx.now() + parseDuration(ctx.input.for!)) : undefined;
    await ctx.silence(ctx.input.monitors, until);
    return {
      outputs: { until: until ? new Date(until).toISOString() : null },
      summary: `silenced ${ctx.input.monitors.join(', ')} ${until ? `until ${new Date(until).toISOString().slice(11, 19)} UTC` : 'until unsilenced or the run ends'}`,
    };
  },
});
