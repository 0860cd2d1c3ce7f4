// Roll back from a failed or in-doubt step's message (the button had a confirm dialog).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { rollbackStartedReply } from '../slack/blocks/index.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerStepRollback(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.stepRollback, StepRefValue, async ({ value, user }) =>
    rollbackStartedReply(await deps.engine.rollback(value.runId, user, `rollback from step ${value.stepId} (attempt ${value.attempt})`)));
}
