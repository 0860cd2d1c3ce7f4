// N/A on a checklist item: check the owner, then open the reason modal (a reason is required).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { naReasonModal } from '../slack/blocks/index.js';
import { ChecklistItemValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerChecklistNa(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.checklistNa, ChecklistItemValue, async ({ value, user, channel, triggerId, args }) => {
    const run = await deps.engine.checkTicker(value, value.item, user);
    const step = run.steps.find((s) => s.id === value.stepId)!;
    if (!triggerId) throw new Error('block action without trigger_id');
    await args.client.views.open({ trigger_id: triggerId, view: naReasonModal(run, step, value.item, channel) });
  });
}
