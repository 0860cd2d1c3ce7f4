// /rollback [run] [--to <step>] [reason]: authorize via the engine, then show what will be
// undone with one danger button (the confirmation).
import { esc } from '../lib/mrkdwn.js';
import type { App } from '@slack/bolt';
import { PreconditionFailedError } from '../errors.js';
import { COMMANDS } from '../slack/action-ids.js';
import { notifyMessage, rollbackConfirm } from '../slack/blocks/index.js';
import type { SlackDeps } from '../slack/deps.js';
import { onCommand } from './on-command.js';
import { parseRollback } from './parse.js';

export function registerRollback(app: App, deps: SlackDeps): void {
  onCommand(app, deps, COMMANDS.rollback, async ({ user, channel, text }) => {
    const parsed = parseRollback(text);
    if (!parsed) return notifyMessage(esc('Usage: `/rollback [run] [--to <step>] [reason]`'));
    const runId = parsed.runId ?? (await deps.engine.activeRun(channel))?.id;
    if (!runId) throw new PreconditionFailedError('There is no active run in this channel; use `/rollback <run>`.');
    const run = await deps.engine.checkRollback(runId, user, parsed.to);
    return rollbackConfirm(run, parsed.reason, parsed.to);
  });
}
