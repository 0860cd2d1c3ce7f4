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
} as const;

export const VIEW_IDS = {
  approveConfirmText: 'approve_confirm_text',
  skipReason: 'skip_reason',
} as const;

/** Block and action ids of the modal inputs (errors are keyed by block id). */
export const INPUT_IDS = {
  confirmTextBlock: 'confirm_text',
  confirmTextAction: 'confirm_text_input',
  skipReasonBlock: 'skip_reason',
  skipReasonAction: 'skip_reason_input',
} as const;

export const COMMANDS = { cutover: '/cutover', rollback: '/rollback' } as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
export type ViewId = (typeof VIEW_IDS)[keyof typeof VIEW_IDS];
