// /cutover report [run]: the report (summary + Markdown and JSON files) goes to the run's thread.
import { notifyMessage, type SlackMessage } from '../slack/blocks/index.js';
import { esc } from '../slack/blocks/kit.js';
import type { CommandContext } from './context.js';

export async function requestReport(ctx: CommandContext, runId?: string): Promise<SlackMessage> {
  const run = await ctx.engine.requestReport(runId, ctx.channel, ctx.user);
  return notifyMessage(`Posting the report of run ${esc(run.id)} (${esc(run.runbook.name)}, ${run.status.replace(/_/g, ' ')}) in its thread.`);
}
