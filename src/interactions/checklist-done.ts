// Done on a checklist item: ticks it at once, or opens the note modal when the checklist asks
// for a note with each tick. The engine authorizes (owner or lead) and audits.
import type { App } from '@slack/bolt';
import { md } from '../lib/mrkdwn.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { checklistNoteModal, notifyMessage } from '../slack/blocks/index.js';
import { checklistState } from '../slack/blocks/step-checklist.js';
import { ChecklistItemValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerChecklistDone(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.checklistDone, ChecklistItemValue, async ({ value, user, channel, triggerId, args }) => {
    const run = await deps.engine.checkTicker(value, value.item, user);
    const step = run.steps.find((s) => s.id === value.stepId)!;
    if (checklistState(step)?.state.checklist?.noteRequired) {
      if (!triggerId) throw new Error('block action without trigger_id');
      await args.client.views.open({ trigger_id: triggerId, view: checklistNoteModal(run, step, value.item, channel) });
      return;
    }
    const { complete } = await deps.engine.tick(value, value.item, user, { state: 'done' });
    return notifyMessage(md`Ticked ${value.item} done${complete ? '; the checklist is complete' : ''}.`);
  });
}
