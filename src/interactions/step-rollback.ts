// Roll back from a failed or in-doubt step's message (the button had a confirm dialog, or
// past a point of no return opens the typed-confirmation modal).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';
import { requestRollback } from './rollback-request.js';

export function registerStepRollback(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.stepRollback, StepRefValue, (ctx) =>
    requestRollback(deps, ctx, ctx.value.runId, `rollback from step ${ctx.value.stepId} (attempt ${ctx.value.attempt})`));
}
