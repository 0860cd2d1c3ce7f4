// Edit on a draft: check the reviewer, then open the modal with the text (trigger_id at once).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { reviewEditModal } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerReviewEdit(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.reviewEdit, StepRefValue, async ({ value, user, channel, triggerId, args }) => {
    const run = await deps.engine.checkReviewer(value, user);
    const step = run.steps.find((s) => s.id === value.stepId)!;
    if (!triggerId) throw new Error('block action without trigger_id');
    await args.client.views.open({ trigger_id: triggerId, view: reviewEditModal(run, step, channel) });
  });
}
