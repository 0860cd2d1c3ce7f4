// Approve when the approval needs typed confirm text: check the approver, then open the modal
// with the trigger_id at once (it is valid for 3 seconds, single use).
import type { App } from '@slack/bolt';
import { PreconditionFailedError } from '../errors.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { confirmTextModal } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerApproveTyped(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.approveTyped, StepRefValue, async ({ value, user, channel, triggerId, args }) => {
    const run = await deps.engine.checkApprover(value, user);
    const step = run.steps.find((s) => s.id === value.stepId);
    if (!step?.approval?.confirmText) throw new PreconditionFailedError(`step ${value.stepId} no longer asks for confirm text.`);
    if (!triggerId) throw new Error('block action without trigger_id');
    await args.client.views.open({ trigger_id: triggerId, view: confirmTextModal(run, step, channel) });
  });
}
