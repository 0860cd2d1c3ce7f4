// /cutover start <runbook> [--dry-run]
import { startedReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function startRun(ctx: CommandContext, runbook: string, dryRun: boolean): Promise<SlackMessage> {
  const run = await ctx.engine.start({ runbook, dryRun, user: ctx.user, channel: ctx.channel });
  return startedReply(run);
}
