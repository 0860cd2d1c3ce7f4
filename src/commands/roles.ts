// /cutover roles [run]: who holds each role on the run (the channel's active run by default), with duties.
import { PreconditionFailedError } from '../errors.js';
import { rolesReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function showRoles(ctx: CommandContext, runId?: string): Promise<SlackMessage> {
  const run = runId ? await ctx.engine.getRun(runId) : await ctx.engine.activeRun(ctx.channel);
  if (!run) throw new PreconditionFailedError(runId ? `There is no run "${runId}".` : 'No active run in this channel; give a run id.');
  return rolesReply(run);
}
