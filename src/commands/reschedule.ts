// /cutover reschedule <run> <time>: moves T-0 and every pending timed step; posts the new timeline.
import { PreconditionFailedError } from '../errors.js';
import { plannedReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';
import { parseWhen } from './plan-time.js';

export async function rescheduleRun(ctx: CommandContext, runId: string, when: string[]): Promise<SlackMessage> {
  const t0 = parseWhen(when, ctx.now());
  if (!t0.ok) throw new PreconditionFailedError(`Nothing was moved: ${t0.error}.`);
  const run = await ctx.engine.reschedule(runId, ctx.user, t0.at);
  return plannedReply(run, 'Rescheduled');
}
