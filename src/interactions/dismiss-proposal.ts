// Dismiss on a watch-window "Roll back now?" proposal: authorized like a rollback.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { ACTION_IDS } from '../slack/action-ids.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

const ProposalValue = z.object({ runId: z.string().min(1).max(200), proposalId: z.string().min(1).max(200) });

export function registerDismissProposal(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.dismissProposal, ProposalValue, async ({ value, user }) => {
    await deps.engine.dismissProposal(value.runId, value.proposalId, user);
  });
}
