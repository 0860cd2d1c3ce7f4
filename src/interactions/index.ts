// The interaction listeners: step buttons, run card buttons, modals.
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../slack/deps.js';
import { registerAlertShowAll } from './alert-show-all.js';
import { registerApprove } from './approve.js';
import { registerApproveSubmit } from './approve-submit.js';
import { registerApproveTyped } from './approve-typed.js';
import { registerChecklistDone } from './checklist-done.js';
import { registerChecklistNa } from './checklist-na.js';
import { registerChecklistNaSubmit } from './checklist-na-submit.js';
import { registerChecklistNoteSubmit } from './checklist-note-submit.js';
import { registerDismissProposal } from './dismiss-proposal.js';
import { registerInDoubt } from './in-doubt.js';
import { registerReject } from './reject.js';
import { registerRetry } from './retry.js';
import { registerReviewEdit } from './review-edit.js';
import { registerReviewEditSubmit } from './review-edit-submit.js';
import { registerReviewHold } from './review-hold.js';
import { registerReviewSend } from './review-send.js';
import { registerRollbackConfirm } from './rollback-confirm.js';
import { registerRunButtons } from './run-buttons.js';
import { registerSkip } from './skip.js';
import { registerSkipSubmit } from './skip-submit.js';
import { registerStepRollback } from './step-rollback.js';
import { registerRollbackTypedSubmit } from './rollback-typed-submit.js';
import { registerUndoConfirm } from './undo-confirm.js';
import { registerUndoReason } from './undo-reason.js';
import { registerUndoReasonSubmit } from './undo-reason-submit.js';
import { registerUndoRetry } from './undo-retry.js';
import { registerRunLate } from './run-late.js';

export function registerInteractions(app: App, deps: SlackDeps): void {
  for (const register of [
    registerApprove, registerApproveTyped, registerApproveSubmit, registerReject, registerRetry, registerSkip,
    registerSkipSubmit, registerInDoubt, registerStepRollback, registerRunButtons, registerRollbackConfirm, registerDismissProposal,
    registerRollbackTypedSubmit, registerUndoRetry, registerUndoReason, registerUndoReasonSubmit, registerUndoConfirm, registerRunLate,
    // Evidence: checklist ticks and reviewed messages.
    registerChecklistDone, registerChecklistNa, registerChecklistNoteSubmit, registerChecklistNaSubmit,
    registerReviewSend, registerReviewEdit, registerReviewEditSubmit, registerReviewHold,
    registerAlertShowAll,
  ]) register(app, deps);
}
