// /cutover cancel <run> [reason]: cancels a plan that has not reached T-0.
import { cancelledReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function cancelRun(ctx: CommandContext, runId: string, reason: string): Promise<SlackMessage> {
  return cancelledReply(await ctx.engine.cancel(runId, ctx.user, reason));
}
