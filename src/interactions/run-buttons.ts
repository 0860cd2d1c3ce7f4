// The run card's Abort and Roll back buttons (each behind a confirm dialog).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { rollbackStartedReply } from '../slack/blocks/index.js';
import { RunValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerRunButtons(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.abort, RunValue, async ({ value, user }) => {
    await deps.engine.abort(value.runId, user);
  });
  onButton(app, deps, ACTION_IDS.runRollback, RunValue, async ({ value, user }) =>
    rollbackStartedReply(await deps.engine.rollback(value.runId, user, 'requested from the run card')));
}
