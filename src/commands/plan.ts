// /cutover plan <runbook> at <time> [--dry-run]: a planned run whose T-0 is that time.
import { PreconditionFailedError } from '../errors.js';
import { plannedReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';
import { parseWhen } from './plan-time.js';

export async function planRun(ctx: CommandContext, runbook: string, when: string[], dryRun: boolean): Promise<SlackMessage> {
  const t0 = parseWhen(when, ctx.now());
  if (!t0.ok) throw new PreconditionFailedError(`Nothing was planned: ${t0.error}.`);
  const run = await ctx.engine.plan({ runbook, dryRun, user: ctx.user, channel: ctx.channel, t0: t0.at });
  return plannedReply(run);
}
