// "Show all N" on an alert group message that lists only its top items: every item, ephemerally.
// Read-only, so anyone in the channel may click it.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { PreconditionFailedError } from '../errors.js';
import { ACTION_IDS } from '../slack/action-ids.js';
import { alertListMessage } from '../slack/blocks/alert-message.js';
import type { SlackDeps } from '../slack/deps.js';
import { onButton } from './on-button.js';

const GroupValue = z.object({ groupId: z.string().regex(/^[0-9a-f]{1,64}$/) });

export function registerAlertShowAll(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION_IDS.alertShowAll, GroupValue, async ({ value }) => {
    const group = await deps.alerts?.group(value.groupId);
    if (!group) throw new PreconditionFailedError('This alert group is no longer kept.');
    return alertListMessage(group);
  });
}
