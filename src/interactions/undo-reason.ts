// Skip this undo / Mark undone by hand: check `can.rollback`, then open the reason modal with
// the trigger_id at once (two buttons, one shape).
import type { App } from '@slack/bolt';
import { PreconditionFailedError } from '../errors.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { undoReasonModal } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

const KINDS = [[ACTION_IDS.undoSkip, 'skip'], [ACTION_IDS.undoByHand, 'by_hand']] as const;

export function registerUndoReason(app: App, deps: SlackDeps): void {
  for (const [actionId, kind] of KINDS) {
    onButton(app, deps, actionId, StepRefValue, async ({ value, user, channel, triggerId, args }) => {
      const run = await deps.engine.checkUndoDecision(value, user);
      const step = run.steps.find((s) => s.id === value.stepId);
      if (!step) throw new PreconditionFailedError(`Run ${run.id} has no step "${value.stepId}".`);
      if (!triggerId) throw new Error('block action without trigger_id');
      await args.client.views.open({ trigger_id: triggerId, view: undoReasonModal(kind, run, step, channel) });
    });
  }
}
