// Retry a failed step (a new attempt).
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../slack/action-ids.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

export function registerRetry(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.retry, StepRefValue, ({ value, user }) => deps.engine.retry(value, user));
}
