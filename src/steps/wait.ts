// Waits for a duration or until a time ("wait 5m for caches", "until 13:00 BST, the announced
// window"). The deadline is fixed once; the engine re-runs the step at the deadline as a delayed
// job, so no process sits on a timer and a restart does not reset the clock.
import { z } from 'zod';
import { formatDuration, parseDuration } from '../runbooks/duration.js';
import { Duration } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Input = z
  .strictObject({
    for: Duration.optional(),
    /** An ISO time with a zone (Z or an offset), so nobody has to guess whose 1pm it is. */
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((i) => (i.for === undefined) !== (i.until === undefined), { message: 'give exactly one of `for` or `until`' });
type Input = z.output<typeof Input>;

export const wait = defineStep<Input>({
  id: 'wait',
  description: 'Waits `for` a duration or `until` a time, without holding a worker.',
  input: Input,
  sideEffects: false,
  dryRun: 'describe',
  examples: [
    { description: 'Let resolvers pick up the new records (TTL lowered to 60s)', with: { for: '2m' } },
    { description: 'Start at the announced window', with: { until: '2026-05-05T13:00:00+01:00' } },
  ],
  describe: (input) =>
    `wait ${input.for ? input.for : `until ${input.until}`} (a dry run does not sit through waits)`,
  async execute(ctx) {
    const { input } = ctx;
    const plan = await ctx.checkpoint('deadline', () => {
      const start = ctx.now();
      return { start, deadline: input.for ? start + parseDuration(input.for) : Date.parse(input.until!) };
    });
    if (ctx.now() < plan.deadline) ctx.waitUntil(plan.deadline);
    const deadline = new Date(plan.deadline).toISOString();
    const summary = input.for
      ? `waited ${formatDuration(ctx.now() - plan.start)}`
      : plan.deadline <= plan.start
        ? `${input.until} had already passed`
        : `waited until ${input.until}`;
    return { outputs: { deadline }, summary };
  },
});
