// /cutover start <runbook> [--dry-run]
import { lateStartReply, plannedReply, startedReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function startRun(ctx: CommandContext, runbook: string, dryRun: boolean): Promise<SlackMessage> {
  const run = await ctx.engine.start({ runbook, dryRun, user: ctx.user, channel: ctx.channel });
  // A timed runbook: T-0 is now; late T-minus steps wait for a click, never run silently.
  if (run.plan?.awaitingLateConfirm) return lateStartReply(run);
  if (run.plan) return plannedReply(run, 'Started');
  return startedReply(run);
}
