// /cutover list: every runbook, the invalid ones with their first error.
import { listReply, type SlackMessage } from '../slack/blocks/index.js';
import type { CommandContext } from './context.js';

export async function listRunbooks(ctx: CommandContext): Promise<SlackMessage> {
  return listReply(await ctx.engine.listRunbooks());
}
