// Every action id and view callback id the Slack edge renders and listens to, in one table.
// test/slack/manifest.test.ts checks that each has a registered listener.
export const ACTION_IDS = {
  /** Approve a step without confirm text (button carries a confirm dialog). */
  approve: 'step_approve',
  /** Approve a step whose approval needs typed confirm text: opens a modal. */
  approveTyped: 'step_approve_typed',
  reject: 'step_reject',
  retry: 'step_retry',
  /** Opens the skip-reason modal. */
  skip: 'step_skip',
  /** Roll back from a failed or in-doubt step's thread message. */
  stepRollback: 'step_rollback',
  runAgain: 'step_run_again',
  markDone: 'step_mark_done',
  /** Abort / Roll back buttons on the run card. */
  abort: 'run_abort',
  runRollback: 'run_rollback',
  /** Dismiss on a watch-window "Roll back now?" proposal (its Roll back is runRollback). */
  dismissProposal: 'proposal_dismiss',
  /** The danger button in the /rollback ephemeral. */
  rollbackConfirm: 'rollback_confirm',
  /** On an alert group message that lists only its top items: every item, ephemerally. */
  alertShowAll: 'alert_show_all',
  /** A failed undo paused the rollback: run it again. */
  undoRetry: 'undo_retry',
  /** Leave a failed (or manual) undo's step applied: opens the reason modal. */
  undoSkip: 'undo_skip',
  /** Someone undid it by hand: opens the reason modal. */
  undoByHand: 'undo_by_hand',
  /** A manual undo (`undo: { uses: approval }`): confirm it is undone. */
  undoConfirm: 'undo_confirm',
  /** A timed runbook started now: run its late T-minus steps (never silently). */
  runLate: 'run_late',
  /** A checklist item: Done (opens a note modal when the checklist asks for notes), N/A (opens the reason modal). */
  checklistDone: 'checklist_done',
  checklistNa: 'checklist_na',
  /** A reviewed notify's draft: Send as written, Edit (opens a modal), Hold. */
  reviewSend: 'review_send',
  reviewEdit: 'review_edit',
  reviewHold: 'review_hold',
} as const;

export const VIEW_IDS = {
  approveConfirmText: 'approve_confirm_text',
  skipReason: 'skip_reason',
  /** Past a point of no return: type the runbook name to roll back. */
  rollbackTyped: 'rollback_typed',
  undoSkipReason: 'undo_skip_reason',
  undoByHandReason: 'undo_by_hand_reason',
  checklistNote: 'checklist_note',
  checklistNaReason: 'checklist_na_reason',
  reviewEdit: 'review_edit_text',
} as const;

/** Block and action ids of the modal inputs (errors are keyed by block id). */
export const INPUT_IDS = {
  confirmTextBlock: 'confirm_text',
  confirmTextAction: 'confirm_text_input',
  skipReasonBlock: 'skip_reason',
  skipReasonAction: 'skip_reason_input',
  rollbackNameBlock: 'rollback_name',
  rollbackNameAction: 'rollback_name_input',
  undoReasonBlock: 'undo_reason',
  undoReasonAction: 'undo_reason_input',
  checklistNoteBlock: 'checklist_note',
  checklistNoteAction: 'checklist_note_input',
  naReasonBlock: 'na_reason',
  naReasonAction: 'na_reason_input',
  reviewTextBlock: 'review_text',
  reviewTextAction: 'review_text_input',
} as const;

export const COMMANDS = { cutover: '/cutover', rollback: '/rollback' } as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
export type ViewId = (typeof VIEW_IDS)[keyof typeof VIEW_IDS];
