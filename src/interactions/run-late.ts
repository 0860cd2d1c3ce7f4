// "Run late steps now" under the reply to /cutover start of a timed runbook: authorized like start.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { ACTION_IDS } from '../slack/action-ids.js';
import { plannedReply } from '../slack/blocks/index.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

const RunValue = z.object({ runId: z.string().min(1).max(200) });

export function registerRunLate(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.runLate, RunValue, async ({ value, user }) => plannedReply(await deps.engine.runLate(value.runId, user), 'Running late steps of'), { replaceOriginal: true });
}
