// Reject an approval.
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerReject(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.reject, StepRefValue, ({ value, user }) => deps.engine.reject(value, user));
}
