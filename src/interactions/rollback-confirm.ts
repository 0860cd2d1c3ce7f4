// The danger button in the /rollback ephemeral: replaces that ephemeral with the outcome.
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { rollbackStartedReply } from '../slack/blocks/index.js';
import { RollbackValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerRollbackConfirm(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.rollbackConfirm, RollbackValue, async ({ value, user }) =>
    rollbackStartedReply(await deps.engine.rollback(value.runId, user, value.reason)), { replaceOriginal: true });
}
