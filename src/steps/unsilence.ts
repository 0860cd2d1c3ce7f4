// Ends silences a `silence` step set earlier in this run, and lists what they kept back.
import { z } from 'zod';
import { defineStep } from './define-step.js';

const Input = z.strictObject({ monitors: z.array(z.string().min(1)).min(1) });
type Input = z.output<typeof Input>;

export const unsilence = defineStep<Input>({
  id: 'unsilence',
  description: "Ends this run's silences of `monitors`; the alerts they kept back are listed in the thread.",
  input: Input,
  sideEffects: false,
  dryRun: 'describe',
  examples: [{ description: 'Maintenance is over: alert on the site again', with: { monitors: ['site'] } }],
  describe: (input) => `end the silence of ${input.monitors.join(', ')}`,
  async execute(ctx) {
    await ctx.unsilence(ctx.input.monitors);
    return { summary: `alerts of ${ctx.input.monitors.join(', ')} are on again` };
  },
});
