// The outbox's renderer: the pure Block Kit builders.
import { notifyMessage, rollbackMessage, runCard, stepMessage } from './blocks/index.js';
import type { Renderer } from './render.js';
import { alertMessage, runAlertMessage } from './blocks/alert-message.js';
import { proposalMessage } from './blocks/proposal-message.js';

export const blockKitRenderer: Renderer = {
  card: runCard,
  step: stepMessage,
  rollback: rollbackMessage,
  notify: notifyMessage,
  alert: alertMessage,
  runAlert: runAlertMessage,
  proposal: proposalMessage,
};
