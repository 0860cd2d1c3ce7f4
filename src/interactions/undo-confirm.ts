// A manual undo waits for a human: Confirm undone (by the undo's approvers).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerUndoConfirm(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.undoConfirm, StepRefValue, ({ value, user }) => deps.engine.confirmUndo(value, user));
}
