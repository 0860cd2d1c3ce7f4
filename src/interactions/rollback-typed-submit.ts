// The typed-confirmation modal past a point of no return: the engine checks the typed name.
import type { App } from '@slack/bolt';
import { INPUT_IDS, VIEW_IDS } from '../slack/action-ids.js';
import { RollbackMeta } from '../slack/blocks/values.js';
import type { SlackDeps } from '../slack/deps.js';
import { onViewSubmit } from './on-view.js';
import { inputValue } from './payload.js';

export function registerRollbackTypedSubmit(app: App, deps: SlackDeps): void {
  onViewSubmit<RollbackMeta>(app, deps, VIEW_IDS.rollbackTyped, INPUT_IDS.rollbackNameBlock, async ({ meta, user, body }) => {
    const typed = inputValue(body, INPUT_IDS.rollbackNameBlock, INPUT_IDS.rollbackNameAction);
    await deps.engine.rollback(meta.runId, user, meta.reason, { confirm: typed, ...(meta.to ? { to: meta.to } : {}) });
    return null;
  }, RollbackMeta);
}
