// The outbox's renderer: the pure Block Kit builders.
import { notifyMessage, rollbackMessage, runCard, stepMessage } from './blocks/index.js';
import type { Renderer } from './render.js';
import { trustStored } from '../lib/mrkdwn.js';
import { alertMessage, runAlertMessage } from './blocks/alert-message.js';
import { proposalMessage } from './blocks/proposal-message.js';

export const blockKitRenderer: Renderer = {
  card: runCard,
  step: stepMessage,
  rollback: rollbackMessage,
  // The stored text was composed as Mrkdwn (outside values escaped) before it was queued.
  notify: (text) => notifyMessage(trustStored(text)),
  alert: alertMessage,
  runAlert: runAlertMessage,
  proposal: proposalMessage,
};
