// The N/A modal's submission: a reason is required; the engine marks the item N/A with it.
import type { App } from '@slack/bolt';
import { INPUT_IDS, VIEW_IDS } from '../slack/action-ids.js';
import type { SlackDeps } from '../slack/deps.js';
import { onViewSubmit } from './on-view.js';
import { inputValue } from './payload.js';

export function registerChecklistNaSubmit(app: App, deps: SlackDeps): void {
  onViewSubmit(app, deps, VIEW_IDS.checklistNaReason, INPUT_IDS.naReasonBlock, async ({ meta, user, body }) => {
    const reason = inputValue(body, INPUT_IDS.naReasonBlock, INPUT_IDS.naReasonAction).trim();
    if (reason.length < 3) return 'Say why this item does not apply.';
    if (!meta.item) return 'This form is out of date; close it and use the latest message.';
    await deps.engine.tick({ runId: meta.runId, stepId: meta.stepId, attempt: meta.attempt }, meta.item, user, { state: 'na', reason: reason.slice(0, 1000) });
    return null;
  });
}
