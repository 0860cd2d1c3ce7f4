// The undo reason modals' submissions: a reason is required; the engine records it and the
// rollback goes on.
import type { App } from '@slack/bolt';
import { INPUT_IDS, VIEW_IDS } from '../slack/action-ids.js';
import type { SlackDeps } from '../slack/deps.js';
import { onViewSubmit } from './on-view.js';
import { inputValue } from './payload.js';

export function registerUndoReasonSubmit(app: App, deps: SlackDeps): void {
  for (const view of [VIEW_IDS.undoSkipReason, VIEW_IDS.undoByHandReason]) {
    onViewSubmit(app, deps, view, INPUT_IDS.undoReasonBlock, async ({ meta, user, body }) => {
      const reason = inputValue(body, INPUT_IDS.undoReasonBlock, INPUT_IDS.undoReasonAction).trim();
      if (reason.length < 3) return 'Say why, in a few words.';
      const ref = { runId: meta.runId, stepId: meta.stepId, attempt: meta.attempt };
      if (view === VIEW_IDS.undoSkipReason) await deps.engine.skipUndo(ref, user, reason);
      else await deps.engine.markUndone(ref, user, reason);
      return null;
    });
  }
}
