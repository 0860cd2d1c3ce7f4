// The Block Kit builders the outbox and the handlers use. All pure: state in, blocks out.
export type { SlackMessage, KnownBlock, ModalView } from './kit.js';
export { runCard } from './run-card.js';
export { stepMessage } from './step-message.js';
export { rollbackMessage } from './rollback-message.js';
export { notifyMessage } from './notify-message.js';
export { startedReply, statusReply, listReply, helpReply, abortedReply, rollbackConfirm, rollbackStartedReply } from './replies.js';
export { errorReply, errorText, isExpected } from './error-reply.js';
export { confirmTextModal, skipReasonModal, rollbackTypedModal, undoReasonModal } from './modals.js';
export { plannedReply, lateStartReply, plansReply, rolesReply, cancelledReply, handoverReply } from './timeline-replies.js';
export { checklistNoteModal, naReasonModal, reviewEditModal } from './evidence-modals.js';
