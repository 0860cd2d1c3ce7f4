// The skip modal's submission: a reason is required; the engine skips and records it.
import type { App } from '@slack/bolt';
import { INPUT_IDS, VIEW_IDS } from '../slack/action-ids.js';
import type { SlackDeps } from '../slack/deps.js';
import { onViewSubmit } from './on-view.js';
import { inputValue } from './payload.js';

export function registerSkipSubmit(app: App, deps: SlackDeps): void {
  onViewSubmit(app, deps, VIEW_IDS.skipReason, INPUT_IDS.skipReasonBlock, async ({ meta, user, body }) => {
    const reason = inputValue(body, INPUT_IDS.skipReasonBlock, INPUT_IDS.skipReasonAction).trim();
    if (reason.length < 3) return 'Say why it is safe to skip this step.';
    await deps.engine.skip({ runId: meta.runId, stepId: meta.stepId, attempt: meta.attempt }, user, reason.slice(0, 1000));
    return null;
  });
}
