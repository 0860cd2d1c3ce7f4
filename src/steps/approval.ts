// Stops the run until enough of the right people approve (the "go / no-go" of a cutover).
// The engine persists the request, shows the buttons and enforces who may approve.
import { z } from 'zod';
import { parseDuration } from '../runbooks/duration.js';
import { Duration, Principal } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Input = z.strictObject({
  prompt: z.string().min(1),
  /** Role names or Slack user ids. */
  approvers: z.array(Principal).min(1).default(['lead']),
  min: z.number().int().min(1).default(1),
  /** May the person who started the run approve? */
  allow_self: z.boolean().default(false),
  /** Text the approver must type, for points of no return. */
  confirm_text: z.string().min(1).optional(),
  /** Expiry fails the step. */
  timeout: Duration.optional(),
});
type Input = z.output<typeof Input>;

export const approval = defineStep<Input>({
  id: 'approval',
  description: 'Waits for approval by `min` of the `approvers` (roles or user ids), optionally with typed confirmation and an expiry.',
  input: Input,
  // Asking again is harmless: the engine keeps the request and its decisions.
  sideEffects: false,
  // Rehearsals ask for real: practising the go/no-go is the point of a dry run.
  dryRun: 'run',
  examples: [
    {
      description: 'Go / no-go before the DNS switch',
      with: { prompt: 'Final sync verified (row counts match). Switch DNS to Fly.io?', approvers: ['lead', 'engineering'], min: 1, timeout: '30m' },
    },
    {
      description: 'Point of no return, confirmed by typing the domain',
      with: {
        prompt: 'Open sign-ups on the new site? Rolling back after this discards new records.',
        approvers: ['lead'],
        confirm_text: 'restarters.net',
        allow_self: true,
      },
    },
  ],
  describe: (input) =>
    `ask ${input.min} of ${input.approvers.join(', ')} to approve: ${input.prompt}${input.timeout ? ` (expires after ${input.timeout})` : ''}`,
  async execute(ctx) {
    const { input } = ctx;
    // The deadline is fixed when the request is first made, not moved by re-runs.
    const expiresAt = input.timeout ? await ctx.checkpoint('expires-at', () => ctx.now() + parseDuration(input.timeout!)) : undefined;
    return ctx.awaitApproval({
      prompt: input.prompt,
      approvers: input.approvers,
      min: input.min,
      allowSelf: input.allow_self,
      ...(input.confirm_text !== undefined && { confirmText: input.confirm_text }),
      ...(expiresAt !== undefined && { expiresAt }),
    });
  },
});
