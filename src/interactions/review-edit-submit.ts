// The edit modal's submission: the engine sends the edited text (authorized and audited).
import type { App } from '@slack/bolt';
import { INPUT_IDS, VIEW_IDS } from '../slack/action-ids.js';
import type { SlackDeps } from '../slack/deps.js';
import { onViewSubmit } from './on-view.js';
import { inputValue } from './payload.js';

export function registerReviewEditSubmit(app: App, deps: SlackDeps): void {
  onViewSubmit(app, deps, VIEW_IDS.reviewEdit, INPUT_IDS.reviewTextBlock, async ({ meta, user, body }) => {
    const text = inputValue(body, INPUT_IDS.reviewTextBlock, INPUT_IDS.reviewTextAction).trim();
    if (!text) return 'The message is empty.';
    await deps.engine.review({ runId: meta.runId, stepId: meta.stepId, attempt: meta.attempt }, user, { kind: 'edit', text });
    return null;
  });
}
