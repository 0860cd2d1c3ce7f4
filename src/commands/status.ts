// /cutover status [run]: the given run, else the channel's active run, else the recent runs.
import { PreconditionFailedError } from '../errors.js';
import { statusReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function runStatus(ctx: CommandContext, runId?: string): Promise<SlackMessage> {
  if (runId) {
    const run = await ctx.engine.getRun(runId);
    if (!run) throw new PreconditionFailedError(`There is no run "${runId}".`);
    return statusReply(run, [], ctx.now());
  }
  const active = await ctx.engine.activeRun(ctx.channel);
  return statusReply(active, active ? [] : await ctx.engine.recentRuns(5), ctx.now());
}
