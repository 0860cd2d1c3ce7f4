// The Done note modal's submission: a note is required; the engine ticks the item with it.
import type { App } from '@slack/bolt';
import { INPUT_IDS, VIEW_IDS } from '../slack/action-ids.js';
import type { SlackDeps } from '../slack/deps.js';
import { onViewSubmit } from './on-view.js';
import { inputValue } from './payload.js';

export function registerChecklistNoteSubmit(app: App, deps: SlackDeps): void {
  onViewSubmit(app, deps, VIEW_IDS.checklistNote, INPUT_IDS.checklistNoteBlock, async ({ meta, user, body }) => {
    const note = inputValue(body, INPUT_IDS.checklistNoteBlock, INPUT_IDS.checklistNoteAction).trim();
    if (note.length < 3) return 'Say what you checked.';
    if (!meta.item) return 'This form is out of date; close it and use the latest message.';
    await deps.engine.tick({ runId: meta.runId, stepId: meta.stepId, attempt: meta.attempt }, meta.item, user, { state: 'done', note: note.slice(0, 1000) });
    return null;
  });
}
