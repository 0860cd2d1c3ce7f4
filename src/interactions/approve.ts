// Approve (no confirm text): the button's confirm dialog was the confirmation.
import { md } from '../lib/mrkdwn.js';
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { notifyMessage } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerApprove(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.approve, StepRefValue, async ({ value, user }) => {
    const result = await deps.engine.approve(value, user);
    return notifyMessage(result.approved
      ? md`Approved ${value.stepId} (${result.count}/${result.min}); the run continues.`
      : md`Your approval of ${value.stepId} is recorded (${result.count}/${result.min}).`);
  });
}
