// A failed undo paused the rollback: Retry runs it again (authorized like /rollback).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerUndoRetry(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.undoRetry, StepRefValue, ({ value, user }) => deps.engine.retryUndo(value, user));
}
