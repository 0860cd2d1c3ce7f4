// Hold on a draft: recorded, and the step keeps waiting (Send or Edit later resumes it).
import type { App } from '@slack/bolt';
import { md } from '../lib/mrkdwn.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { notifyMessage } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerReviewHold(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.reviewHold, StepRefValue, async ({ value, user }) => {
    await deps.engine.review(value, user, { kind: 'hold' });
    return notifyMessage(md`Holding the message of ${value.stepId}; the step waits until someone sends it.`);
  });
}
