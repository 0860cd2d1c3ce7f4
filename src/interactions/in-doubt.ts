// An in-doubt step: Run again or Mark done (two buttons, same call with a different choice).
import type { App } from '@slack/bolt';
import type { InDoubtChoice } from '../engine/engine-api.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { StepRefValue } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

const CHOICES: Array<[string, InDoubtChoice]> = [[ACTION_IDS.runAgain, 'run_again'], [ACTION_IDS.markDone, 'mark_done']];

export function registerInDoubt(app: App, deps: SlackDeps): void {
  for (const [actionId, choice] of CHOICES) {
    onButton(app, deps, actionId, StepRefValue, ({ value, user }) => deps.engine.resolveInDoubt(value, user, choice));
  }
}
