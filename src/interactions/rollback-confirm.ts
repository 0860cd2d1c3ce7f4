// The danger button in the /rollback ephemeral: replaces that ephemeral with the outcome.
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { RollbackValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';
import { requestRollback } from './rollback-request.js';

export function registerRollbackConfirm(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.rollbackConfirm, RollbackValue, (ctx) =>
    requestRollback(deps, ctx, ctx.value.runId, ctx.value.reason, ctx.value.to), { replaceOriginal: true });
}
