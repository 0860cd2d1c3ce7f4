// The confirm-text modal's submission: wrong text → field error; else the engine approves.
import type { App } from '@slack/bolt';
import { INPUT_IDS, VIEW_IDS } from '../slack/action-ids.js';
import type { SlackDeps } from '../slack/deps.js';
import { onViewSubmit } from './on-view.js';
import { inputValue } from './payload.js';

export function registerApproveSubmit(app: App, deps: SlackDeps): void {
  onViewSubmit(app, deps, VIEW_IDS.approveConfirmText, INPUT_IDS.confirmTextBlock, async ({ meta, user, body }) => {
    const typed = inputValue(body, INPUT_IDS.confirmTextBlock, INPUT_IDS.confirmTextAction).trim();
    const run = await deps.engine.getRun(meta.runId);
    const expected = run?.steps.find((s) => s.id === meta.stepId)?.approval?.confirmText;
    if (expected !== undefined && typed !== expected) return `Type exactly "${expected}" to approve.`;
    await deps.engine.approve({ runId: meta.runId, stepId: meta.stepId, attempt: meta.attempt }, user, typed);
    return null;
  });
}
