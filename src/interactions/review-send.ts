// Send on a draft: posts it as written (the button's confirm dialog was the confirmation).
import type { App } from '@slack/bolt';
import { md } from '../lib/mrkdwn.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { notifyMessage } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerReviewSend(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.reviewSend, StepRefValue, async ({ value, user }) => {
    await deps.engine.review(value, user, { kind: 'send' });
    return notifyMessage(md`Sent the message of ${value.stepId}; the run continues.`);
  });
}
