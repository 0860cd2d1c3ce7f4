// Every Roll back button ends here: authorize, then either roll back (the button's dialog or
// the /rollback reply was the one confirmation) or, past a point of no return, open the modal
// that says what the rollback now costs and asks for the runbook name.
import { pointOfNoReturn } from '../engine/rollback-plan.js';
import { rollbackStartedReply, rollbackTypedModal, type SlackMessage } from '../slack/blocks/index.js';
import type { SlackDeps } from '../slack/deps.js';
import type { ButtonContext } from './on-button.js';

export async function requestRollback(deps: SlackDeps, ctx: ButtonContext<unknown>, runId: string, reason: string, to?: string): Promise<SlackMessage | void> {
  const run = await deps.engine.checkRollback(runId, ctx.user, to);
  if (pointOfNoReturn(run)) {
    if (!ctx.triggerId) throw new Error('block action without trigger_id');
    await ctx.args.client.views.open({ trigger_id: ctx.triggerId, view: rollbackTypedModal(run, { runId, reason, ...(to ? { to } : {}), ...(ctx.channel ? { channel: ctx.channel } : {}) }) });
    return;
  }
  return rollbackStartedReply(await deps.engine.rollback(runId, ctx.user, reason, ...(to ? [{ to }] : [])));
}
