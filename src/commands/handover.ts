// /cutover handover <run> <role> <@user>: the lead or the role's holder hands it over for this run.
import { handoverReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function handoverRole(ctx: CommandContext, runId: string, role: string, to: string): Promise<SlackMessage> {
  const run = await ctx.engine.handover(runId, role, to, ctx.user);
  return handoverReply(run, role, to);
}
