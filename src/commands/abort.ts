// /cutover abort <run>
import { abortedReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function abortRun(ctx: CommandContext, runId: string): Promise<SlackMessage> {
  return abortedReply(await ctx.engine.abort(runId, ctx.user));
}
