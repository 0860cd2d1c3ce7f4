// The run card's Abort and Roll back buttons (one confirmation each: a dialog, or the
// typed-confirmation modal past a point of no return). A proposal's Roll back is the same.
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { RunValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';
import { requestRollback } from './rollback-request.js';

export function registerRunButtons(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.abort, RunValue, async ({ value, user }) => {
    await deps.engine.abort(value.runId, user);
  });
  onButton(app, deps, ACTION_IDS.runRollback, RunValue, (ctx) => requestRollback(deps, ctx, ctx.value.runId, 'requested from the run card'));
}
