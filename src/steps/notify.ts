// Posts a message in the run thread (or another channel), turning `@role` into mentions of
// the people in that role, so "@lead, DNS is switched" pings whoever leads this run.
import { z } from 'zod';
import { channel, md, mdJoin, user } from '../lib/mrkdwn.js';
import { composeNotifyText } from '../lib/notify-text.js';
import { createRedactor } from '../lib/redact.js';
import { Slug } from '../runbooks/schema.js';
import { defineStep } from './define-step.js';

const Input = z.strictObject({
  /** Slack mrkdwn; `${{ }}` values in it are shown as plain text. */
  text: z.string().min(1),
  /** A channel id; default: the run thread. */
  channel: z.string().regex(/^[CGD][A-Z0-9]+$/, 'a Slack channel id such as C0CUTOVER').optional(),
  /** A role whose members Send, Edit or Hold the text as a draft before it is posted. */
  review: Slug.optional(),
});
type Input = z.output<typeof Input>;

export { expandRoleMentions } from '../lib/notify-text.js';

export const notify = defineStep<Input>({
  id: 'notify',
  description:
    'Posts a message in the run thread or another channel; `@role` mentions everyone in that role; `${{ }}` values are shown as plain text and never mention anyone. With `review: <role>` the text is first a draft in the run thread that a member of the role Sends, Edits or Holds.',
  input: Input,
  // Re-posting is safe: ctx.notify is idempotent per step.
  sideEffects: false,
  // The engine leaves `text` as written, so values are told apart from the author's mrkdwn.
  rawFields: ['text'],
  // Rehearsals post in their own thread for real, but never in other channels.
  dryRun: (input) => (input.channel ? 'describe' : 'run'),
  examples: [
    {
      description: 'Tell the network coordinators the window has started',
      with: { channel: 'C0COORDINATORS', text: 'Maintenance window started: please do not log devices until 3pm.' },
    },
    {
      description: 'Customer announcement, approved by the comms lead before it goes out',
      with: { channel: 'C0ANNOUNCE', review: 'comms', text: 'The new Restarters site is live. Please log in again; your data has moved with you.' },
    },
    {
      description: 'Hand over to the lead in the run thread',
      with: { text: '@lead DNS switched to Fly.io (A and AAAA). Smoke tests next; roll back if unreachable > 10 min.' },
    },
  ],
  // A rehearsal previews the text with its values filled in (secrets masked by the resolver).
  describe: (input, resolve) =>
    `post ${input.channel ? `in <#${input.channel}>` : 'in the run thread'}: ${resolve ? input.text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => resolve(e.trim())) : input.text}`,
  async execute(ctx) {
    const { text, mentioned } = composeNotifyText(ctx.input.text, (e) => ctx.evaluate(e), ctx.run.roles);
    if (ctx.input.review) {
      const reviewers = ctx.run.roles[ctx.input.review] ?? [];
      const who = reviewers.length ? mdJoin(reviewers.map(user), ' ') : md`*${ctx.input.review}*`;
      // The ping is a new message (edits do not notify); the draft and its buttons are on the step's message.
      await ctx.notify({ text: md`:memo: ${who}: a draft for ${ctx.input.channel ? channel(ctx.input.channel) : 'this thread'} waits for your review (step ${ctx.step.id}): Send, Edit or Hold.` });
      const redact = createRedactor(ctx.secrets.values());
      return ctx.awaitApproval({
        prompt: `Review the message for ${ctx.input.channel ? `<#${ctx.input.channel}>` : 'the run thread'}`,
        approvers: [ctx.input.review],
        min: 1,
        allowSelf: true,
        review: { text: redact(text.text), ...(ctx.input.channel ? { channel: ctx.input.channel } : {}) },
      });
    }
    await ctx.notify(ctx.input.channel ? { text, channel: ctx.input.channel } : { text });
    const where = ctx.input.channel ? `<#${ctx.input.channel}>` : 'the run thread';
    return {
      outputs: { channel: ctx.input.channel ?? ctx.run.channel, mentioned },
      summary: `posted in ${where}${mentioned.length ? `, mentioning ${mentioned.length}` : ''}`,
    };
  },
});
