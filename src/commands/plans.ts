// /cutover plans: planned and running runs, each with its next due step.
import { plansReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

const ENDED = ['cancelled', 'succeeded', 'rehearsed', 'failed', 'aborted', 'rolled_back', 'partially_rolled_back', 'rollback_failed'];

export async function listPlans(ctx: CommandContext): Promise<SlackMessage> {
  const runs = (await ctx.engine.recentRuns(100)).filter((r) => !ENDED.includes(r.status));
  runs.sort((a, b) => (a.plan?.t0 ?? a.startedAt) - (b.plan?.t0 ?? b.startedAt));
  return plansReply(runs, ctx.now());
}
