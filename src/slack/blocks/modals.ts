// Modals opened from step buttons: the approver types the confirm text; the skipper gives a reason.
import type { Run, StepState } from '../../engine/types.js';
import { INPUT_IDS, VIEW_IDS } from '../action-ids.js';
import { cut, LIMITS, md, plain, section, type ModalView } from './kit.js';
import { modalMeta, type ModalMeta, type RollbackMeta } from './values.js';
import { rollbackPreview } from '../../engine/rollback-plan.js';
import { costText, undoCountText } from './rollback-button.js';

export function metaFor(run: Run, step: StepState, channel?: string): ModalMeta {
  return { runId: run.id, stepId: step.id, attempt: step.attempt, ...(channel ? { channel } : {}) };
}

export function modal(callbackId: string, title: string, submit: string, meta: ModalMeta, blocks: ModalView['blocks']): ModalView {
  const privateMetadata = modalMeta(meta);
  if (privateMetadata.length > LIMITS.privateMetadata) throw new Error('private_metadata over 3000 chars');
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(submit, LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: privateMetadata,
    blocks,
  };
}

export function confirmTextModal(run: Run, step: StepState, channel?: string): ModalView {
  const a = step.approval;
  if (!a?.confirmText) throw new Error(`step ${step.id} has no confirm text`);
  return modal(VIEW_IDS.approveConfirmText, `Approve ${step.id}`, 'Approve', metaFor(run, step, channel), [
    section(md`${run.dryRun ? md`*DRY RUN* · ` : ''}*${cut(a.prompt, 2000)}*\nRun \`${run.id}\`, step *${step.id}*.`),
    {
      type: 'input',
      block_id: INPUT_IDS.confirmTextBlock,
      label: plain(`Type "${a.confirmText}" to approve`, 2000),
      element: { type: 'plain_text_input', action_id: INPUT_IDS.confirmTextAction, max_length: 200 },
    },
  ]);
}

export function skipReasonModal(run: Run, step: StepState, channel?: string): ModalView {
  return modal(VIEW_IDS.skipReason, `Skip ${step.id}`, 'Skip step', metaFor(run, step, channel), [
    section(md`${run.dryRun ? md`*DRY RUN* · ` : ''}Skip step *${step.id}* of run \`${run.id}\` and continue with the next step.`),
    {
      type: 'input',
      block_id: INPUT_IDS.skipReasonBlock,
      label: plain('Why is it safe to skip?', 2000),
      element: { type: 'plain_text_input', action_id: INPUT_IDS.skipReasonAction, multiline: true, min_length: 3, max_length: 1000 },
    },
  ]);
}

/** Past a point of no return: says what a rollback now costs; the runbook name must be typed. */
export function rollbackTypedModal(run: Run, meta: RollbackMeta): ModalView {
  const p = rollbackPreview(run, meta.to);
  const privateMetadata = JSON.stringify(meta);
  if (privateMetadata.length > LIMITS.privateMetadata) throw new Error('private_metadata over 3000 chars');
  return {
    type: 'modal',
    callback_id: VIEW_IDS.rollbackTyped,
    title: plain('Roll back?', LIMITS.modalTitle),
    submit: plain('Roll back', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: privateMetadata,
    blocks: [
      section(md`:warning: *${cut(costText(p) ?? 'This rollback has a cost.', 2500)}*`),
      section(md`${run.dryRun ? md`*DRY RUN* · ` : ''}Run \`${run.id}\`${meta.to ? md`, back to after *${meta.to}*` : ''}. ${undoCountText(p)}`),
      {
        type: 'input',
        block_id: INPUT_IDS.rollbackNameBlock,
        label: plain(`Type "${run.runbook.name}" to roll back`, 2000),
        element: { type: 'plain_text_input', action_id: INPUT_IDS.rollbackNameAction, max_length: 200 },
      },
    ],
  };
}

/** Skip this undo / Mark undone by hand: both ask why. */
export function undoReasonModal(kind: 'skip' | 'by_hand', run: Run, step: StepState, channel?: string): ModalView {
  const meta = { runId: run.id, stepId: step.id, attempt: step.undo?.attempt ?? 0, ...(channel ? { channel } : {}) };
  const skip = kind === 'skip';
  return modal(skip ? VIEW_IDS.undoSkipReason : VIEW_IDS.undoByHandReason, skip ? 'Skip this undo' : 'Mark undone by hand', skip ? 'Skip undo' : 'Mark undone', meta, [
    section(skip
      ? md`Skip the undo of *${step.id}* (run \`${run.id}\`): the step stays applied and the rollback goes on. The summary will list it as still applied.`
      : md`Record that *${step.id}* (run \`${run.id}\`) was undone by hand, and go on with the rollback.`),
    {
      type: 'input',
      block_id: INPUT_IDS.undoReasonBlock,
      label: plain(skip ? 'Why is it fine to leave it applied?' : 'What did you do to undo it?', 2000),
      element: { type: 'plain_text_input', action_id: INPUT_IDS.undoReasonAction, multiline: true, min_length: 3, max_length: 1000 },
    },
  ]);
}
