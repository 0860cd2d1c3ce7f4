// /cutover report [run]: the report (summary + Markdown and JSON files) goes to the run's thread.
import { notifyMessage, type SlackMessage } from '../slack/blocks/index.js';
import { md } from '../slack/blocks/kit.js';
import type { CommandContext } from './context.js';

export async function requestReport(ctx: CommandContext, runId?: string): Promise<SlackMessage> {
  const run = await ctx.engine.requestReport(runId, ctx.channel, ctx.user);
  return notifyMessage(md`Posting the report of run ${run.id} (${run.runbook.name}, ${run.status.replace(/_/g, ' ')}) in its thread.`);
}
