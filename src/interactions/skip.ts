// Skip: check `can.skip`, then open the reason modal with the trigger_id at once.
import type { App } from '@slack/bolt';
import { PreconditionFailedError } from '../errors.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { skipReasonModal } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerSkip(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.skip, StepRefValue, async ({ value, user, channel, triggerId, args }) => {
    const run = await deps.engine.checkSkip(value, user);
    const step = run.steps.find((s) => s.id === value.stepId);
    if (!step) throw new PreconditionFailedError(`Run ${run.id} has no step "${value.stepId}".`);
    if (!triggerId) throw new Error('block action without trigger_id');
    await args.client.views.open({ trigger_id: triggerId, view: skipReasonModal(run, step, channel) });
  });
}
