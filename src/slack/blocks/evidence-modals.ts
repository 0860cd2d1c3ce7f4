// Modals of checklist and review decisions: a note for Done, a reason for N/A, the draft to edit.
import type { Run, StepState } from '../../engine/types.js';
import { INPUT_IDS, VIEW_IDS } from '../action-ids.js';
import { channel as channelLink, cut, md, plain, section, type ModalView } from './kit.js';
import { metaFor, modal } from './modals.js';
import { checklistState } from './step-checklist.js';

/** Checklist modals carry the attempt the item's buttons carried (an undo's own attempt during a rollback). */
const itemMeta = (run: Run, step: StepState, item: string, channel?: string) => ({ ...metaFor(run, step, channel), attempt: checklistState(step)?.attempt ?? step.attempt, item });

function itemOf(step: StepState, itemId: string) {
  const item = checklistState(step)?.state.checklist?.items.find((i) => i.id === itemId);
  if (!item) throw new Error(`step ${step.id} has no checklist item ${itemId}`);
  return item;
}

const textInput = (blockId: string, actionId: string, label: string, extra: Record<string, unknown>) => ({
  type: 'input' as const,
  block_id: blockId,
  label: plain(label, 2000),
  element: { type: 'plain_text_input' as const, action_id: actionId, multiline: true, ...extra },
});

export function checklistNoteModal(run: Run, step: StepState, itemId: string, channel?: string): ModalView {
  const item = itemOf(step, itemId);
  return modal(VIEW_IDS.checklistNote, cut(`Done: ${item.id}`, 24), 'Done', itemMeta(run, step, item.id, channel), [
    section(md`${run.dryRun ? md`*DRY RUN* · ` : ''}*${item.id}* ${cut(item.text, 2000)}`),
    textInput(INPUT_IDS.checklistNoteBlock, INPUT_IDS.checklistNoteAction, 'Note (what you checked)', { min_length: 3, max_length: 1000 }),
  ]);
}

export function naReasonModal(run: Run, step: StepState, itemId: string, channel?: string): ModalView {
  const item = itemOf(step, itemId);
  return modal(VIEW_IDS.checklistNaReason, cut(`N/A: ${item.id}`, 24), 'Mark N/A', itemMeta(run, step, item.id, channel), [
    section(md`${run.dryRun ? md`*DRY RUN* · ` : ''}*${item.id}* ${cut(item.text, 2000)}`),
    textInput(INPUT_IDS.naReasonBlock, INPUT_IDS.naReasonAction, 'Why does it not apply?', { min_length: 3, max_length: 1000 }),
  ]);
}

export function reviewEditModal(run: Run, step: StepState, channel?: string): ModalView {
  const r = step.approval?.review;
  if (!r) throw new Error(`step ${step.id} has no draft`);
  return modal(VIEW_IDS.reviewEdit, 'Edit message', 'Send', metaFor(run, step, channel), [
    section(md`${run.dryRun ? md`*DRY RUN* · ` : ''}Edit the message of step *${step.id}*, then send it${r.channel ? md` to ${channelLink(r.channel)}` : ' in the run thread'}.`),
    textInput(INPUT_IDS.reviewTextBlock, INPUT_IDS.reviewTextAction, 'Message', { initial_value: cut(r.text, 3000), max_length: 3000 }),
  ]);
}
